package dev.aioops.uring.ring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.aioops.uring.ring.UringLayout.ASYNC_CANCEL_ALL;
import static dev.aioops.uring.ring.UringLayout.ASYNC_CANCEL_ANY;
import static dev.aioops.uring.ring.UringLayout.ASYNC_CANCEL_FD;
import static dev.aioops.uring.ring.UringLayout.SQE_ADDR;
import static dev.aioops.uring.ring.UringLayout.SQE_ADDR3;
import static dev.aioops.uring.ring.UringLayout.SQE_BUF_INDEX;
import static dev.aioops.uring.ring.UringLayout.SQE_FD;
import static dev.aioops.uring.ring.UringLayout.SQE_FILE_INDEX;
import static dev.aioops.uring.ring.UringLayout.SQE_FLAGS;
import static dev.aioops.uring.ring.UringLayout.SQE_IOPRIO;
import static dev.aioops.uring.ring.UringLayout.SQE_LEN;
import static dev.aioops.uring.ring.UringLayout.SQE_OFF;
import static dev.aioops.uring.ring.UringLayout.SQE_OPCODE;
import static dev.aioops.uring.ring.UringLayout.SQE_OP_FLAGS;
import static dev.aioops.uring.ring.UringLayout.SQE_PAD2;
import static dev.aioops.uring.ring.UringLayout.SQE_PERSONALITY;
import static dev.aioops.uring.ring.UringLayout.SQE_USER_DATA;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Encodes each operation of this adapter into one submission queue entry. It owns no ring: it writes all 64 bytes
 * of the entry at {@code base} in whatever segment it is given, so that another ring's owner (Netty's io_uring
 * event loop, for the Vert.x adapter's shared-ring mode) can encode aioops operations into its own SQEs.
 *
 * <p>Stateless, allocation-free and safe on any thread; the caller owns the memory it writes.
 */
public final class SqeEncoder {

    private SqeEncoder() {
    }

    private static void entry(MemorySegment sqe, long base, int opcode, int fd, long off, long addr, int len,
                              int opFlags, long userData) {
        sqe.set(JAVA_BYTE, base + SQE_OPCODE, (byte) opcode);
        sqe.set(JAVA_BYTE, base + SQE_FLAGS, (byte) 0);
        sqe.set(JAVA_SHORT, base + SQE_IOPRIO, (short) 0);
        sqe.set(JAVA_INT, base + SQE_FD, fd);
        sqe.set(JAVA_LONG, base + SQE_OFF, off);
        sqe.set(JAVA_LONG, base + SQE_ADDR, addr);
        sqe.set(JAVA_INT, base + SQE_LEN, len);
        sqe.set(JAVA_INT, base + SQE_OP_FLAGS, opFlags);
        sqe.set(JAVA_LONG, base + SQE_USER_DATA, userData);
        sqe.set(JAVA_SHORT, base + SQE_BUF_INDEX, (short) 0);
        sqe.set(JAVA_SHORT, base + SQE_PERSONALITY, (short) 0);
        sqe.set(JAVA_INT, base + SQE_FILE_INDEX, 0);
        sqe.set(JAVA_LONG, base + SQE_ADDR3, 0L);
        sqe.set(JAVA_LONG, base + SQE_PAD2, 0L);
    }

    /**
     * {@code IORING_OP_NOP}: completes with 0.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param userData the completion's tag
     */
    public static void nop(MemorySegment sqe, long base, long userData) {
        entry(sqe, base, UringLayout.OP_NOP, -1, 0, 0, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_READ}, or {@code READ_FIXED} when {@code bufIndex >= 0}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param address  the buffer's address
     * @param length   bytes to read at most
     * @param offset   the file position, or -1 for the current one
     * @param bufIndex the registered buffer that contains the buffer, or -1
     * @param userData the completion's tag
     */
    public static void read(MemorySegment sqe, long base, int fd, long address, int length, long offset,
                            int bufIndex, long userData) {
        entry(sqe, base, bufIndex >= 0 ? UringLayout.OP_READ_FIXED : UringLayout.OP_READ, fd, offset, address,
                length, 0, userData);
        if (bufIndex >= 0) {
            sqe.set(JAVA_SHORT, base + SQE_BUF_INDEX, (short) bufIndex);
        }
    }

    /**
     * {@code IORING_OP_WRITE}, or {@code WRITE_FIXED} when {@code bufIndex >= 0}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param address  the buffer's address
     * @param length   bytes to write
     * @param offset   the file position, or -1 for the current one
     * @param bufIndex the registered buffer that contains the buffer, or -1
     * @param userData the completion's tag
     */
    public static void write(MemorySegment sqe, long base, int fd, long address, int length, long offset,
                             int bufIndex, long userData) {
        entry(sqe, base, bufIndex >= 0 ? UringLayout.OP_WRITE_FIXED : UringLayout.OP_WRITE, fd, offset, address,
                length, 0, userData);
        if (bufIndex >= 0) {
            sqe.set(JAVA_SHORT, base + SQE_BUF_INDEX, (short) bufIndex);
        }
    }

    /**
     * {@code IORING_OP_RECV}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param address  the buffer's address
     * @param length   bytes to receive at most
     * @param userData the completion's tag
     */
    public static void recv(MemorySegment sqe, long base, int fd, long address, int length, long userData) {
        entry(sqe, base, UringLayout.OP_RECV, fd, 0, address, length, 0, userData);
    }

    /**
     * {@code IORING_OP_RECV} with {@code IORING_RECV_MULTISHOT} and {@code IOSQE_BUFFER_SELECT} (Linux 6.0): one
     * request that posts a CQE for every piece of data, each in a buffer the kernel picks from the provided buffer
     * ring {@code bufferGroup}, until it ends (a CQE without {@code IORING_CQE_F_MORE}).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param fd          the socket
     * @param bufferGroup the buffer group id
     * @param userData    the completions' tag
     */
    public static void recvMultishot(MemorySegment sqe, long base, int fd, int bufferGroup, long userData) {
        entry(sqe, base, UringLayout.OP_RECV, fd, 0, 0, 0, 0, userData);
        sqe.set(JAVA_BYTE, base + SQE_FLAGS, (byte) UringLayout.IOSQE_BUFFER_SELECT);
        sqe.set(JAVA_SHORT, base + SQE_IOPRIO, (short) UringLayout.RECV_MULTISHOT);
        sqe.set(JAVA_SHORT, base + SQE_BUF_INDEX, (short) bufferGroup);
    }

    /**
     * {@code IORING_OP_ACCEPT} with {@code IORING_ACCEPT_MULTISHOT} (Linux 5.19): one request that posts a CQE with a
     * new descriptor for every connection, until it ends (a CQE without {@code IORING_CQE_F_MORE}).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the listening socket
     * @param flags    {@code accept4(2)} flags such as {@code SOCK_CLOEXEC}
     * @param userData the completions' tag
     */
    public static void acceptMultishot(MemorySegment sqe, long base, int fd, int flags, long userData) {
        entry(sqe, base, UringLayout.OP_ACCEPT, fd, 0, 0, 0, flags, userData);
        sqe.set(JAVA_SHORT, base + SQE_IOPRIO, (short) UringLayout.ACCEPT_MULTISHOT);
    }

    /**
     * {@code IORING_OP_RECV} with {@code IORING_RECVSEND_POLL_FIRST} (Linux 5.19): for a socket expected to be empty,
     * the kernel waits for data before its first receive attempt instead of failing one with {@code EAGAIN} first.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param address  the buffer's address
     * @param length   bytes to receive at most
     * @param userData the completion's tag
     */
    public static void recvPollFirst(MemorySegment sqe, long base, int fd, long address, int length,
                                     long userData) {
        entry(sqe, base, UringLayout.OP_RECV, fd, 0, address, length, 0, userData);
        sqe.set(JAVA_SHORT, base + SQE_IOPRIO, (short) UringLayout.RECVSEND_POLL_FIRST);
    }

    /**
     * {@code IORING_OP_SEND} with {@code MSG_NOSIGNAL}: a gone peer gives {@code -EPIPE}, never SIGPIPE.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param address  the buffer's address
     * @param length   bytes to send
     * @param userData the completion's tag
     */
    public static void send(MemorySegment sqe, long base, int fd, long address, int length, long userData) {
        entry(sqe, base, UringLayout.OP_SEND, fd, 0, address, length, UringLayout.MSG_NOSIGNAL, userData);
    }

    /**
     * {@code IORING_OP_SENDMSG}, as liburing's {@code io_uring_prep_sendmsg}: the {@code struct msghdr} in
     * {@code addr}, {@code len} 1, the flags in {@code msg_flags}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param msghdr   the address of the {@code struct msghdr} (see {@link Msghdrs}), valid until the CQE
     * @param flags    {@code MSG_*}, such as {@link UringLayout#MSG_NOSIGNAL}
     * @param userData the completion's tag
     */
    public static void sendmsg(MemorySegment sqe, long base, int fd, long msghdr, int flags, long userData) {
        entry(sqe, base, UringLayout.OP_SENDMSG, fd, 0, msghdr, 1, flags, userData);
    }

    /**
     * {@code IORING_OP_RECVMSG}, as liburing's {@code io_uring_prep_recvmsg}; the fields as {@link #sendmsg}. The
     * kernel writes the sender into {@code msg_name} and its length into {@code msg_namelen}, so the
     * {@code msghdr} must stay valid (and writable) until the CQE, not only until the submission.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param msghdr   the address of the {@code struct msghdr} (see {@link Msghdrs}), valid until the CQE
     * @param flags    {@code MSG_*}, such as {@link UringLayout#MSG_TRUNC}
     * @param userData the completion's tag
     */
    public static void recvmsg(MemorySegment sqe, long base, int fd, long msghdr, int flags, long userData) {
        entry(sqe, base, UringLayout.OP_RECVMSG, fd, 0, msghdr, 1, flags, userData);
    }

    /**
     * {@code IORING_OP_READV}, as liburing's {@code io_uring_prep_readv}: the {@code iovec} array in {@code addr},
     * its count in {@code len}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param iovecs   the address of the {@code struct iovec} array, valid until the CQE
     * @param count    how many entries it has
     * @param offset   the file position, or -1 for the current one (0 for a socket)
     * @param userData the completion's tag
     */
    public static void readv(MemorySegment sqe, long base, int fd, long iovecs, int count, long offset,
                             long userData) {
        entry(sqe, base, UringLayout.OP_READV, fd, offset, iovecs, count, 0, userData);
    }

    /**
     * {@code IORING_OP_WRITEV}, as liburing's {@code io_uring_prep_writev}; the fields as {@link #readv}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param iovecs   the address of the {@code struct iovec} array, valid until the CQE
     * @param count    how many entries it has
     * @param offset   the file position, or -1 for the current one (0 for a socket)
     * @param userData the completion's tag
     */
    public static void writev(MemorySegment sqe, long base, int fd, long iovecs, int count, long offset,
                              long userData) {
        entry(sqe, base, UringLayout.OP_WRITEV, fd, offset, iovecs, count, 0, userData);
    }

    /**
     * {@code IORING_OP_SHUTDOWN}, as liburing's {@code io_uring_prep_shutdown}: {@code how} in {@code len}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the socket
     * @param how      {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @param userData the completion's tag
     */
    public static void shutdown(MemorySegment sqe, long base, int fd, int how, long userData) {
        entry(sqe, base, UringLayout.OP_SHUTDOWN, fd, 0, 0, how, 0, userData);
    }

    /**
     * {@code IORING_OP_SPLICE}, as liburing's {@code io_uring_prep_splice}: moves up to {@code length} bytes from
     * {@code fdIn} to {@code fdOut} without copying them to user memory; one of the two must be a pipe.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fdIn     the input
     * @param offIn    the input's position, or -1 for a pipe (or to use and move the file position)
     * @param fdOut    the output
     * @param offOut   the output's position, or -1 for a pipe or socket
     * @param length   bytes to move at most
     * @param flags    {@code SPLICE_F_*}
     * @param userData the completion's tag
     */
    public static void splice(MemorySegment sqe, long base, int fdIn, long offIn, int fdOut, long offOut, int length,
                              int flags, long userData) {
        entry(sqe, base, UringLayout.OP_SPLICE, fdOut, offOut, offIn, length, flags, userData);
        sqe.set(JAVA_INT, base + SQE_FILE_INDEX, fdIn);
    }

    /**
     * {@code IORING_OP_POLL_ADD}, one-shot: completes with the ready {@code POLL*} mask once {@code fd} has one of
     * {@code events} (at once if it has already).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param events   {@code POLLIN}, {@code POLLOUT}, ...
     * @param userData the completion's tag
     */
    public static void pollAdd(MemorySegment sqe, long base, int fd, int events, long userData) {
        // The kernel swaps poll32_events' 16-bit halves on a big-endian CPU; liburing swaps them first (__swahw32).
        int mask = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? Integer.rotateLeft(events, 16) : events;
        entry(sqe, base, UringLayout.OP_POLL_ADD, fd, 0, 0, 0, mask, userData);
    }

    /**
     * {@code IORING_OP_FSYNC}.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the file
     * @param flags    0, or {@code IORING_FSYNC_DATASYNC}
     * @param userData the completion's tag
     */
    public static void fsync(MemorySegment sqe, long base, int fd, int flags, long userData) {
        entry(sqe, base, UringLayout.OP_FSYNC, fd, 0, 0, 0, flags, userData);
    }

    /**
     * {@code IORING_OP_OPENAT}.
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param dirFd       {@code AT_FDCWD} or a directory
     * @param pathAddress a NUL-terminated path
     * @param flags       {@code O_*}
     * @param mode        the creation mode
     * @param userData    the completion's tag
     */
    public static void openat(MemorySegment sqe, long base, int dirFd, long pathAddress, int flags, int mode,
                              long userData) {
        entry(sqe, base, UringLayout.OP_OPENAT, dirFd, 0, pathAddress, mode, flags, userData);
    }

    /**
     * {@code IORING_OP_ACCEPT}.
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param fd          the listening socket
     * @param addrAddress where to store the peer address, or 0
     * @param lenAddress  a {@code socklen_t} with its room, or 0
     * @param flags       {@code SOCK_CLOEXEC} and the like
     * @param userData    the completion's tag
     */
    public static void accept(MemorySegment sqe, long base, int fd, long addrAddress, long lenAddress, int flags,
                              long userData) {
        entry(sqe, base, UringLayout.OP_ACCEPT, fd, lenAddress, addrAddress, 0, flags, userData);
    }

    /**
     * {@code IORING_OP_CONNECT}; the address length goes in {@code off} ({@code addr2}), by value.
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param fd          the socket
     * @param addrAddress the {@code sockaddr}
     * @param addrLength  its length
     * @param userData    the completion's tag
     */
    public static void connect(MemorySegment sqe, long base, int fd, long addrAddress, int addrLength,
                               long userData) {
        entry(sqe, base, UringLayout.OP_CONNECT, fd, addrLength, addrAddress, 0, 0, userData);
    }

    /**
     * {@code IOSQE_IO_LINK}: links an entry already written to the next one, as {@code sqe->flags |= IOSQE_IO_LINK}.
     *
     * @param sqe  the segment holding the entry
     * @param base the entry's offset in {@code sqe}
     */
    public static void link(MemorySegment sqe, long base) {
        byte flags = sqe.get(JAVA_BYTE, base + SQE_FLAGS);
        sqe.set(JAVA_BYTE, base + SQE_FLAGS, (byte) (flags | UringLayout.IOSQE_IO_LINK));
    }

    /**
     * {@code IORING_OP_LINK_TIMEOUT}: a relative timeout for the linked entry just before it, as
     * {@code io_uring_prep_link_timeout}.
     *
     * @param sqe             the segment holding the entry
     * @param base            the entry's offset in {@code sqe}
     * @param timespecAddress a {@code struct __kernel_timespec}, read by the kernel when it takes the entry
     * @param userData        the completion's tag
     */
    public static void linkTimeout(MemorySegment sqe, long base, long timespecAddress, long userData) {
        entry(sqe, base, UringLayout.OP_LINK_TIMEOUT, -1, 0, timespecAddress, 1, 0, userData);
    }

    /**
     * {@code IORING_OP_TIMEOUT} as a pure timer (completion count 0).
     *
     * @param sqe             the segment holding the entry
     * @param base            the entry's offset in {@code sqe}
     * @param timespecAddress a {@code struct __kernel_timespec}
     * @param flags           0 (relative) or {@code IORING_TIMEOUT_*}
     * @param userData        the completion's tag
     */
    public static void timeout(MemorySegment sqe, long base, long timespecAddress, int flags, long userData) {
        entry(sqe, base, UringLayout.OP_TIMEOUT, -1, 0, timespecAddress, 1, flags, userData);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} of the request tagged {@code targetUserData}.
     *
     * @param sqe            the segment holding the entry
     * @param base           the entry's offset in {@code sqe}
     * @param targetUserData the tag of the request to cancel
     * @param userData       the completion's tag
     */
    public static void cancel(MemorySegment sqe, long base, long targetUserData, long userData) {
        entry(sqe, base, UringLayout.OP_ASYNC_CANCEL, -1, 0, targetUserData, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} of every request on a descriptor (Linux 5.19+).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the descriptor
     * @param userData the completion's tag
     */
    public static void cancelFd(MemorySegment sqe, long base, int fd, long userData) {
        entry(sqe, base, UringLayout.OP_ASYNC_CANCEL, fd, 0, 0, 0, ASYNC_CANCEL_FD | ASYNC_CANCEL_ALL, userData);
    }

    /**
     * {@code IORING_OP_MSG_RING} with {@code IORING_MSG_DATA} (Linux 5.18): posts a CQE of {@code res} tagged
     * {@code targetUserData} to the ring {@code ringFd}. With {@code IOSQE_CQE_SKIP_SUCCESS}, the sender sees a
     * completion of its own only when the message fails.
     *
     * @param sqe            the segment holding the entry
     * @param base           the entry's offset in {@code sqe}
     * @param ringFd         the target ring's descriptor
     * @param targetUserData the tag of the CQE the target gets
     * @param res            the {@code res} of that CQE
     * @param userData       the tag of the sender's completion, which comes only on failure
     */
    public static void msgRing(MemorySegment sqe, long base, int ringFd, long targetUserData, int res,
                               long userData) {
        entry(sqe, base, UringLayout.OP_MSG_RING, ringFd, targetUserData, 0, res, 0, userData);
        sqe.set(JAVA_BYTE, base + SQE_FLAGS, (byte) UringLayout.IOSQE_CQE_SKIP_SUCCESS);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} of every request of the ring (Linux 5.19+).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param userData the completion's tag
     */
    public static void cancelAll(MemorySegment sqe, long base, long userData) {
        entry(sqe, base, UringLayout.OP_ASYNC_CANCEL, -1, 0, 0, 0, ASYNC_CANCEL_ANY | ASYNC_CANCEL_ALL, userData);
    }

    /**
     * {@code IORING_OP_SOCKET}: completes with the new descriptor (Linux 5.19).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}, with {@code SOCK_CLOEXEC} as wanted
     * @param protocol 0 for the default
     * @param userData the completion's tag
     */
    public static void socket(MemorySegment sqe, long base, int domain, int type, int protocol, long userData) {
        entry(sqe, base, UringLayout.OP_SOCKET, domain, type, 0, protocol, 0, userData);
    }

    /**
     * {@code IORING_OP_BIND} (Linux 6.11).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param fd          the socket
     * @param addrAddress the {@code sockaddr}, valid until the completion
     * @param addrLength  its length
     * @param userData    the completion's tag
     */
    public static void bind(MemorySegment sqe, long base, int fd, long addrAddress, int addrLength, long userData) {
        entry(sqe, base, UringLayout.OP_BIND, fd, addrLength, addrAddress, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_LISTEN} (Linux 6.11).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the bound socket
     * @param backlog  the accept backlog
     * @param userData the completion's tag
     */
    public static void listen(MemorySegment sqe, long base, int fd, int backlog, long userData) {
        entry(sqe, base, UringLayout.OP_LISTEN, fd, 0, 0, backlog, 0, userData);
    }

    /**
     * {@code IORING_OP_OPENAT2} ({@code io_uring_prep_openat2}).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param dirFd       {@code AT_FDCWD} or a directory
     * @param pathAddress a NUL-terminated path
     * @param howAddress  a {@code struct open_how} of {@link UringLayout#OPEN_HOW_SIZE} bytes
     * @param userData    the completion's tag
     */
    public static void openat2(MemorySegment sqe, long base, int dirFd, long pathAddress, long howAddress,
                               long userData) {
        entry(sqe, base, UringLayout.OP_OPENAT2, dirFd, howAddress, pathAddress, UringLayout.OPEN_HOW_SIZE, 0,
                userData);
    }

    /**
     * {@code IORING_OP_STATX} ({@code io_uring_prep_statx}).
     *
     * @param sqe          the segment holding the entry
     * @param base         the entry's offset in {@code sqe}
     * @param dirFd        {@code AT_FDCWD}, a directory, or the file itself with an empty path and
     *                     {@code AT_EMPTY_PATH}
     * @param pathAddress  a NUL-terminated path, possibly empty
     * @param flags        {@code AT_*} flags
     * @param mask         the {@code STATX_*} fields wanted
     * @param statxAddress the {@code struct statx} to fill
     * @param userData     the completion's tag
     */
    public static void statx(MemorySegment sqe, long base, int dirFd, long pathAddress, int flags, int mask,
                             long statxAddress, long userData) {
        entry(sqe, base, UringLayout.OP_STATX, dirFd, statxAddress, pathAddress, mask, flags, userData);
    }

    /**
     * {@code IORING_OP_FTRUNCATE} ({@code io_uring_prep_ftruncate}, Linux 6.9).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the file
     * @param length   the new size
     * @param userData the completion's tag
     */
    public static void ftruncate(MemorySegment sqe, long base, int fd, long length, long userData) {
        entry(sqe, base, UringLayout.OP_FTRUNCATE, fd, length, 0, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_FALLOCATE} ({@code io_uring_prep_fallocate}).
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param fd       the file
     * @param mode     0, or {@code FALLOC_FL_*}
     * @param offset   the first byte
     * @param length   the range's size
     * @param userData the completion's tag
     */
    public static void fallocate(MemorySegment sqe, long base, int fd, int mode, long offset, long length,
                                 long userData) {
        entry(sqe, base, UringLayout.OP_FALLOCATE, fd, offset, length, mode, 0, userData);
    }

    /**
     * {@code IORING_OP_UNLINKAT} ({@code io_uring_prep_unlinkat}).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param dirFd       {@code AT_FDCWD} or a directory
     * @param pathAddress a NUL-terminated path
     * @param flags       0 or {@code AT_REMOVEDIR}
     * @param userData    the completion's tag
     */
    public static void unlinkat(MemorySegment sqe, long base, int dirFd, long pathAddress, int flags,
                                long userData) {
        entry(sqe, base, UringLayout.OP_UNLINKAT, dirFd, 0, pathAddress, 0, flags, userData);
    }

    /**
     * {@code IORING_OP_RENAMEAT} ({@code io_uring_prep_renameat}).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param fromDirFd   {@code AT_FDCWD} or a directory
     * @param fromAddress the NUL-terminated current name
     * @param toDirFd     {@code AT_FDCWD} or a directory
     * @param toAddress   the NUL-terminated new name
     * @param userData    the completion's tag
     */
    public static void renameat(MemorySegment sqe, long base, int fromDirFd, long fromAddress, int toDirFd,
                                long toAddress, long userData) {
        entry(sqe, base, UringLayout.OP_RENAMEAT, fromDirFd, toAddress, fromAddress, toDirFd, 0, userData);
    }

    /**
     * {@code IORING_OP_MKDIRAT} ({@code io_uring_prep_mkdirat}, Linux 5.15).
     *
     * @param sqe         the segment holding the entry
     * @param base        the entry's offset in {@code sqe}
     * @param dirFd       {@code AT_FDCWD} or a directory
     * @param pathAddress a NUL-terminated path
     * @param mode        the permission bits before the umask
     * @param userData    the completion's tag
     */
    public static void mkdirat(MemorySegment sqe, long base, int dirFd, long pathAddress, int mode, long userData) {
        entry(sqe, base, UringLayout.OP_MKDIRAT, dirFd, 0, pathAddress, mode, 0, userData);
    }
}
