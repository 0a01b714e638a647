package dev.aioops.uring.ring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The {@code struct msghdr} of one datagram ({@code sys/socket.h}; offsets in {@link UringLayout}) with its one
 * {@code struct iovec} right behind it, in a block of {@link #BLOCK_SIZE} bytes that the caller preallocates and
 * keeps until the operation's completion: for {@code IORING_OP_SENDMSG} the kernel reads it, for
 * {@code RECVMSG} it also writes {@code msg_namelen} and {@code msg_flags} back. Stateless.
 */
public final class Msghdrs {

    /** A {@code msghdr} and its {@code iovec}, rounded up to 16 bytes. */
    public static final long BLOCK_SIZE = 80;

    private Msghdrs() {
    }

    /**
     * Writes a {@code msghdr} for one buffer and one address, and the {@code iovec} it points to.
     *
     * @param block         memory of the caller's, at least {@link #BLOCK_SIZE} bytes from {@code offset},
     *                      8-byte aligned
     * @param offset        where the {@code msghdr} starts
     * @param name          the address of the peer's {@code sockaddr} (a send's target, a receive's room for the
     *                      sender), or 0 for none
     * @param nameLength    its length: the target's, or for a receive the room there is
     * @param buffer        the address of the datagram's bytes
     * @param bufferLength  their number
     */
    public static void encode(MemorySegment block, long offset, long name, int nameLength, long buffer,
                              long bufferLength) {
        long iovec = offset + UringLayout.MSGHDR_SIZE;
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_NAME, name);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_NAMELEN, 0L); // the socklen_t, then 4 bytes of padding
        block.set(JAVA_INT, offset + UringLayout.MSGHDR_NAMELEN, name == 0 ? 0 : nameLength);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_IOV, block.address() + iovec);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_IOVLEN, 1L);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_CONTROL, 0L);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_CONTROLLEN, 0L);
        block.set(JAVA_LONG, offset + UringLayout.MSGHDR_FLAGS, 0L); // the int, then 4 bytes of padding
        block.set(JAVA_LONG, iovec + UringLayout.IOVEC_BASE, buffer);
        block.set(JAVA_LONG, iovec + UringLayout.IOVEC_LEN, bufferLength);
    }
}
