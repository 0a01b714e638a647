package dev.aioops.vthreads;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioStat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Blocking-style calls on an {@link AioOperations}, for virtual threads: each call submits one operation and
 * parks the calling thread until its completion, so a virtual thread waiting for I/O leaves its carrier free
 * (it neither blocks nor pins it) on every adapter — io_uring, the NIO selector, Vert.x in both modes. Thousands of
 * virtual threads can wait at once on the carriers the scheduler started with.
 *
 * <p><b>Threads.</b> Any thread but the instance's loop may call. A virtual thread parks; a platform thread
 * blocks in {@link java.util.concurrent.locks.LockSupport#park}, which works too (for tests, tools and
 * {@code main}) but holds that thread. A call on the loop thread itself (in a completion, or in a task of
 * {@link AioOperations#execute}) throws {@link IllegalStateException} at once: the loop would wait for a
 * completion only the loop can run. Each calling thread gets one small waiter, reused for all its calls; a call
 * allocates nothing else of its own on the success path.
 *
 * <p><b>Buffers and handles</b> are those of the {@link AioOperations}: native segments that the caller owns
 * again when the call returns or throws (a call returns only after its operation's completion, interrupted or
 * not); handles of the instance this facade wraps.
 *
 * <p><b>Socket transfers first try on the calling thread</b> where the adapter has descriptors
 * ({@link dev.aioops.spi.AioCapability#RAW_FD}: io_uring, Vert.x's shared ring), as the JDK's {@code SocketChannel}
 * does on virtual threads: {@link #read}, {@link #write}, {@link #readFully} and {@link #writeFully} at
 * {@link AioOperations#STREAM} on a socket first call {@code recv}/{@code send} with {@code MSG_DONTWAIT}; what
 * completes at once needs no loop turn and no park, and only what would wait is submitted (a read on a virtual
 * thread tries once more after a {@link Thread#yield}). Results and exceptions are the same either way. Such a
 * call uses the handle's descriptor outside the adapter for the length of one system call that does not wait, so
 * a handle that other threads may be using through this facade must be closed with {@link #close(int)}, which
 * waits for those calls to leave it; closing it with {@link AioOperations#close(int, Object, AioCompletion)}, or
 * closing the instance, while such a call is in progress could let that call reach the descriptor's next owner.
 * Setting the system property {@value #DIRECT_PROPERTY} to {@code false} submits every transfer instead. The
 * other adapters (Java channels, Vert.x sockets) have no descriptor to try: every call goes to the loop.
 *
 * <p><b>Deadlines.</b> The forms with a {@link Duration} submit the operation with the instance's deadline
 * ({@link dev.aioops.spi.AioDeadlineOperations}), one submission; when the deadline passes first they throw
 * {@link SocketTimeoutException}, and the handle stays usable. For {@link #readFully} and {@link #writeFully} the
 * deadline bounds the whole transfer and the exception's {@code bytesTransferred} says how far it got. File
 * system calls take no deadline: a local file never waits for a peer.
 *
 * <p><b>Interrupts.</b> Interrupting a thread blocked in a call cancels its operation
 * ({@link AioOperations#cancel}) and waits for that operation's completion. If the cancel took effect the call
 * throws {@link InterruptedIOException} (its {@code bytesTransferred} is what a transfer had moved); if the
 * operation had already finished, its result wins and is returned, as the contract's "nothing is lost" rule
 * says. Either way the interrupt status stays set, and a call made while it is set throws
 * {@link InterruptedIOException} without submitting. Unlike an {@link java.nio.channels.InterruptibleChannel},
 * the handle is <b>not</b> closed: it stays usable, and a socket read that was cancelled consumed nothing.
 *
 * <p><b>Errors.</b> A {@code -errno} result becomes the {@link IOException} of {@link AioIoExceptions}
 * ({@code NoSuchFileException}, {@code SocketTimeoutException}, {@code ConnectException}, ...), whose cause holds
 * the errno; misuse throws as the {@link AioOperations} method does.
 */
public final class AioBlocking {

    /**
     * The system property that turns the direct socket transfers off when set to {@code false} (read when a facade
     * is made): every transfer then goes to the loop, as on the adapters without descriptors.
     */
    public static final String DIRECT_PROPERTY = "dev.aioops.vthreads.direct";

    private static final Set<AioOpenOption> READ_ONLY = EnumSet.of(AioOpenOption.READ);

    private final AioOperations ops;
    /** Socket transfers tried on the calling thread before they go to the loop. */
    private final DirectTransfers now;

    /**
     * A facade over one instance; it holds no state of its own, so one may be shared by every thread.
     *
     * @param ops the operations the calls submit to; closing it is the caller's business
     */
    public AioBlocking(AioOperations ops) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.now = new DirectTransfers(ops, !"false".equals(System.getProperty(DIRECT_PROPERTY)));
    }

    /**
     * The instance this facade submits to.
     *
     * @return the operations
     */
    public AioOperations operations() {
        return ops;
    }

    // ------------------------------------------------------------------------------------------ byte transfers

    /**
     * Reads once ({@link AioOperations#read}).
     *
     * @param handle a file, socket or eventfd handle
     * @param buffer native memory to read into
     * @param offset a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @return the number of bytes read; 0 at the end of the file or stream
     * @throws IOException as the class comment says
     */
    public int read(int handle, MemorySegment buffer, long offset) throws IOException {
        Waiter w = begin("read", 0);
        int n = now.read(handle, buffer, offset);
        if (n == DirectTransfers.SUBMIT) {
            n = w.await(ops, ops.read(handle, buffer, offset, w, Waiter.WAKE));
        }
        return finish(w, n, "read", null, 0);
    }

    /**
     * Reads once, giving up after {@code deadline}.
     *
     * @param handle   a file, socket or eventfd handle
     * @param buffer   native memory to read into
     * @param offset   a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @param deadline how long to wait at most, positive
     * @return the number of bytes read; 0 at the end of the file or stream
     * @throws SocketTimeoutException when the deadline passed first; nothing was read
     * @throws IOException            as the class comment says
     */
    public int read(int handle, MemorySegment buffer, long offset, Duration deadline) throws IOException {
        long nanos = nanos(deadline);
        Waiter w = begin("read", 0);
        int n = now.read(handle, buffer, offset);
        if (n == DirectTransfers.SUBMIT) {
            n = w.await(ops, ops.read(handle, buffer, offset, nanos, w, Waiter.WAKE));
        }
        return finish(w, n, "read", null, 0);
    }

    /**
     * Writes once ({@link AioOperations#write}); on a stream it may write fewer bytes than the buffer holds.
     *
     * @param handle a file or socket handle
     * @param buffer native memory to write
     * @param offset a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @return the number of bytes written
     * @throws IOException as the class comment says
     */
    public int write(int handle, MemorySegment buffer, long offset) throws IOException {
        Waiter w = begin("write", 0);
        int n = now.write(handle, buffer, offset);
        if (n == DirectTransfers.SUBMIT) {
            n = w.await(ops, ops.write(handle, buffer, offset, w, Waiter.WAKE));
        }
        return finish(w, n, "write", null, 0);
    }

    /**
     * Writes once, giving up after {@code deadline}.
     *
     * @param handle   a file or socket handle
     * @param buffer   native memory to write
     * @param offset   a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @param deadline how long to wait at most, positive
     * @return the number of bytes written
     * @throws SocketTimeoutException when the deadline passed first; nothing was written
     * @throws IOException            as the class comment says
     */
    public int write(int handle, MemorySegment buffer, long offset, Duration deadline) throws IOException {
        long nanos = nanos(deadline);
        Waiter w = begin("write", 0);
        int n = now.write(handle, buffer, offset);
        if (n == DirectTransfers.SUBMIT) {
            n = w.await(ops, ops.write(handle, buffer, offset, nanos, w, Waiter.WAKE));
        }
        return finish(w, n, "write", null, 0);
    }

    /**
     * Reads until {@code buffer} is full or the file or stream ends.
     *
     * @param handle a file or socket handle
     * @param buffer native memory to fill, at most {@link Integer#MAX_VALUE} bytes
     * @param offset the file position of the first byte, or {@link AioOperations#STREAM}
     * @return {@code buffer.byteSize()}, or fewer when the end came first
     * @throws IOException as the class comment says; an interrupted one carries the bytes read so far
     */
    public int readFully(int handle, MemorySegment buffer, long offset) throws IOException {
        return transfer(handle, buffer, offset, false, 0);
    }

    /**
     * Reads until {@code buffer} is full or the stream ends, within {@code deadline} for the whole.
     *
     * @param handle   a file or socket handle
     * @param buffer   native memory to fill, at most {@link Integer#MAX_VALUE} bytes
     * @param offset   the file position of the first byte, or {@link AioOperations#STREAM}
     * @param deadline how long the whole may take, positive
     * @return {@code buffer.byteSize()}, or fewer when the end came first
     * @throws SocketTimeoutException when the deadline passed first, with the bytes read so far
     * @throws IOException            as the class comment says
     */
    public int readFully(int handle, MemorySegment buffer, long offset, Duration deadline) throws IOException {
        return transfer(handle, buffer, offset, false, nanos(deadline));
    }

    /**
     * Writes the whole of {@code buffer}.
     *
     * @param handle a file or socket handle
     * @param buffer native memory to write, at most {@link Integer#MAX_VALUE} bytes
     * @param offset the file position of the first byte, or {@link AioOperations#STREAM}
     * @throws IOException as the class comment says (EIO when a write made no progress); an interrupted one
     *                     carries the bytes written so far
     */
    public void writeFully(int handle, MemorySegment buffer, long offset) throws IOException {
        transfer(handle, buffer, offset, true, 0);
    }

    /**
     * Writes the whole of {@code buffer} within {@code deadline}.
     *
     * @param handle   a file or socket handle
     * @param buffer   native memory to write, at most {@link Integer#MAX_VALUE} bytes
     * @param offset   the file position of the first byte, or {@link AioOperations#STREAM}
     * @param deadline how long the whole may take, positive
     * @throws SocketTimeoutException when the deadline passed first, with the bytes written so far
     * @throws IOException            as the class comment says
     */
    public void writeFully(int handle, MemorySegment buffer, long offset, Duration deadline) throws IOException {
        transfer(handle, buffer, offset, true, nanos(deadline));
    }

    /**
     * Sends {@code length} bytes of a file to a socket ({@link AioOperations#sendFile}), zero-copy where the
     * adapter can, looping over short sends.
     *
     * @param socketHandle a connected socket handle
     * @param fileHandle   a file handle opened for reading
     * @param offset       the file position of the first byte, {@code >= 0}
     * @param length       how many bytes, {@code >= 0}
     * @return {@code length}, or fewer when the file ended first
     * @throws IOException as the class comment says
     */
    public long sendFile(int socketHandle, int fileHandle, long offset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            Waiter w = begin("send file", done);
            int n = finish(w, w.await(ops, ops.sendFile(socketHandle, fileHandle, offset + done, length - done, w,
                    Waiter.WAKE)), "send file", null, done);
            if (n == 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    // --------------------------------------------------------------------------------------------- files

    /**
     * Opens a file ({@link AioOperations#open}).
     *
     * @param path    the file
     * @param options how to open it; none means {@link AioOpenOption#READ}
     * @return a new file handle
     * @throws java.nio.file.NoSuchFileException when it does not exist; as the class comment says otherwise
     */
    public int open(Path path, AioOpenOption... options) throws IOException {
        Set<AioOpenOption> set = options.length == 0 ? READ_ONLY : EnumSet.of(options[0], options);
        return open(path, set);
    }

    /**
     * Opens a file ({@link AioOperations#open}).
     *
     * @param path    the file
     * @param options how to open it
     * @return a new file handle
     * @throws java.nio.file.NoSuchFileException when it does not exist; as the class comment says otherwise
     */
    public int open(Path path, Set<AioOpenOption> options) throws IOException {
        Waiter w = begin("open", 0);
        return finish(w, w.await(ops, ops.open(path, options, w, Waiter.WAKE)), "open", path, 0);
    }

    /**
     * Closes a handle ({@link AioOperations#close}).
     *
     * @param handle a handle of the instance
     * @throws IOException as the class comment says
     */
    public void close(int handle) throws IOException {
        Waiter w = begin("close", 0);
        now.closing(handle);
        try {
            finish(w, w.await(ops, ops.close(handle, w, Waiter.WAKE)), "close", null, 0);
        } finally {
            now.closed(handle);
        }
    }

    /**
     * Reads a file's metadata by path, following symbolic links ({@link AioFileOperations#stat}).
     *
     * @param path the file
     * @param into the holder to fill
     * @return {@code into}, filled
     * @throws java.nio.file.NoSuchFileException when it does not exist; as the class comment says otherwise
     */
    public AioStat stat(Path path, AioStat into) throws IOException {
        Waiter w = begin("stat", 0);
        finish(w, w.await(ops, ops.stat(AioFileOperations.WORKING_DIRECTORY, path, true, into, w, Waiter.WAKE)),
                "stat", path, 0);
        return into;
    }

    /**
     * Reads an open file's metadata ({@link AioFileOperations#fstat}).
     *
     * @param handle a file or directory handle
     * @param into   the holder to fill
     * @return {@code into}, filled
     * @throws IOException as the class comment says
     */
    public AioStat fstat(int handle, AioStat into) throws IOException {
        Waiter w = begin("fstat", 0);
        finish(w, w.await(ops, ops.fstat(handle, into, w, Waiter.WAKE)), "fstat", null, 0);
        return into;
    }

    /**
     * Flushes a file to its device ({@link AioOperations#fsync}).
     *
     * @param handle a file handle
     * @throws IOException as the class comment says
     */
    public void fsync(int handle) throws IOException {
        Waiter w = begin("fsync", 0);
        finish(w, w.await(ops, ops.fsync(handle, w, Waiter.WAKE)), "fsync", null, 0);
    }

    // ------------------------------------------------------------------------------------------- sockets

    /**
     * Listens on an address ({@link AioOperations#listen}).
     *
     * @param address where to listen
     * @param backlog the backlog
     * @return a new listening handle
     * @throws IOException as the class comment says
     */
    public int listen(SocketAddress address, int backlog) throws IOException {
        Waiter w = begin("listen", 0);
        return finish(w, w.await(ops, ops.listen(address, backlog, w, Waiter.WAKE)), "listen", null, 0);
    }

    /**
     * Accepts a connection ({@link AioOperations#accept}).
     *
     * @param listenHandle a listening handle
     * @return a new connected socket handle
     * @throws IOException as the class comment says
     */
    public int accept(int listenHandle) throws IOException {
        Waiter w = begin("accept", 0);
        return finish(w, w.await(ops, ops.accept(listenHandle, w, Waiter.WAKE)), "accept", null, 0);
    }

    /**
     * Accepts a connection within {@code deadline}.
     *
     * @param listenHandle a listening handle
     * @param deadline     how long to wait at most, positive
     * @return a new connected socket handle
     * @throws SocketTimeoutException when the deadline passed first
     * @throws IOException            as the class comment says
     */
    public int accept(int listenHandle, Duration deadline) throws IOException {
        long nanos = nanos(deadline);
        Waiter w = begin("accept", 0);
        return finish(w, w.await(ops, ops.accept(listenHandle, nanos, w, Waiter.WAKE)), "accept", null, 0);
    }

    /**
     * Connects to an address ({@link AioOperations#connect}).
     *
     * @param address where to connect
     * @return a new connected socket handle
     * @throws java.net.ConnectException when refused; as the class comment says otherwise
     */
    public int connect(SocketAddress address) throws IOException {
        Waiter w = begin("connect", 0);
        return finish(w, w.await(ops, ops.connect(address, w, Waiter.WAKE)), "connect", null, 0);
    }

    /**
     * Connects to an address within {@code deadline}.
     *
     * @param address  where to connect
     * @param deadline how long to wait at most, positive
     * @return a new connected socket handle
     * @throws SocketTimeoutException when the deadline passed first
     * @throws IOException            as the class comment says
     */
    public int connect(SocketAddress address, Duration deadline) throws IOException {
        long nanos = nanos(deadline);
        Waiter w = begin("connect", 0);
        return finish(w, w.await(ops, ops.connect(address, nanos, w, Waiter.WAKE)), "connect", null, 0);
    }

    /**
     * Shuts down one or both directions of a socket ({@link AioOperations#shutdown}).
     *
     * @param handle a connected socket handle
     * @param how    which direction
     * @throws IOException as the class comment says
     */
    public void shutdown(int handle, AioShutdown how) throws IOException {
        Waiter w = begin("shutdown", 0);
        finish(w, w.await(ops, ops.shutdown(handle, how, w, Waiter.WAKE)), "shutdown", null, 0);
    }

    // -------------------------------------------------------------------------------------------- any

    /**
     * Runs any operation of the instance as a blocking call. The submission must pass the attachment and the
     * completion it is given, and return the token:
     *
     * <pre>{@code
     * blocking.call("fdatasync", (attachment, completion) ->
     *         ops.fdatasync(handle, attachment, completion));
     * }</pre>
     *
     * @param what       what is being done, for the message of a failure
     * @param submission submits the operation
     * @return the operation's result, {@code >= 0}
     * @throws IOException as the class comment says
     */
    public int call(String what, Submission submission) throws IOException {
        Objects.requireNonNull(submission, "submission");
        Waiter w = begin(what, 0);
        return finish(w, w.await(ops, submission.submit(w, Waiter.WAKE)), what, null, 0);
    }

    /** Submits one operation for {@link #call}. */
    @FunctionalInterface
    public interface Submission {
        /**
         * Submits the operation with the given attachment and completion.
         *
         * @param attachment the attachment to pass
         * @param completion the completion to pass
         * @return the token the submitting method returned
         */
        long submit(Object attachment, AioCompletion<Object> completion);
    }

    // ----------------------------------------------------------------------------------------- internals

    private int transfer(int handle, MemorySegment buffer, long offset, boolean write, long deadlineNanos)
            throws IOException {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a transfer takes at most " + Integer.MAX_VALUE
                    + " bytes; split the " + buffer.byteSize() + "-byte buffer");
        }
        String what = write ? "write fully" : "read fully";
        long end = deadlineNanos == 0 ? 0 : System.nanoTime() + deadlineNanos;
        int done = 0;
        int size = (int) buffer.byteSize();
        while (done < size || (done == 0 && size == 0)) {
            Waiter w = begin(what, done);
            MemorySegment rest = done == 0 ? buffer : buffer.asSlice(done);
            long position = offset < 0 ? AioOperations.STREAM : offset + done;
            int n = write ? now.write(handle, rest, position) : now.read(handle, rest, position);
            if (n == DirectTransfers.SUBMIT) {
                long token;
                if (end == 0) {
                    token = write ? ops.write(handle, rest, position, w, Waiter.WAKE)
                            : ops.read(handle, rest, position, w, Waiter.WAKE);
                } else {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw timedOut(what, done);
                    }
                    token = write ? ops.write(handle, rest, position, left, w, Waiter.WAKE)
                            : ops.read(handle, rest, position, left, w, Waiter.WAKE);
                }
                n = w.await(ops, token);
                if (n == -AioErrno.ETIMEDOUT && end != 0) {
                    throw timedOut(what, done);
                }
            }
            n = finish(w, n, what, null, done);
            if (n == 0) {
                if (write && size > 0) {
                    throw AioIoExceptions.of(-AioErrno.EIO, what + " (no progress after " + done + " bytes)", null);
                }
                break;
            }
            done += n;
        }
        return done;
    }

    /** Refuses a call on the loop and one made with the interrupt status set, else hands out the waiter. */
    private Waiter begin(String what, long done) throws InterruptedIOException {
        if (ops.inLoop()) {
            throw new IllegalStateException(what + " was called on the loop thread of the " + ops.adapterName()
                    + " instance: it would wait for a completion only that thread can run. Call it from a virtual"
                    + " thread (Thread.ofVirtual()), or use a completion or AioFutures on the loop");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(what, done);
        }
        return Waiter.current();
    }

    /** The result of a completed call, or the exception for its failure. */
    private static int finish(Waiter w, int result, String what, Object path, long done) throws IOException {
        if (result >= 0) {
            return result;
        }
        if (result == -AioErrno.ECANCELED && w.interrupted()) {
            throw interrupted(what, done);
        }
        throw AioIoExceptions.of(result, what, path);
    }

    private static InterruptedIOException interrupted(String what, long done) {
        InterruptedIOException e = new InterruptedIOException(what + " was interrupted: the operation was"
                + " cancelled (the handle stays open; the thread's interrupt status is set)");
        e.bytesTransferred = (int) Math.min(done, Integer.MAX_VALUE);
        return e;
    }

    private static SocketTimeoutException timedOut(String what, int done) {
        SocketTimeoutException e = new SocketTimeoutException(what + " timed out after " + done + " bytes");
        e.bytesTransferred = done;
        e.initCause(AioErrno.exception(-AioErrno.ETIMEDOUT, what));
        return e;
    }

    private static long nanos(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a deadline must be positive, not " + deadline
                    + "; call the form without a Duration to wait without one");
        }
        // Capped (at ~36 years) so that "now + deadline" overflows nowhere.
        long cap = Long.MAX_VALUE >> 2;
        return deadline.compareTo(Duration.ofNanos(cap)) > 0 ? cap : deadline.toNanos();
    }
}
