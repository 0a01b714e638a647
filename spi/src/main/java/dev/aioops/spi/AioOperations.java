package dev.aioops.spi;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * Asynchronous I/O performed for a library by the application that hosts it. The library says what to do
 * ("read into this buffer, tell me when done"); the adapter chosen by the application at startup decides how:
 * io_uring, a {@code java.nio} selector with a thread pool for files, or a Vert.x event loop. Obtain one with
 * {@link Aio#open()} or from an {@link AioProvider}.
 *
 * <h2>Submitting and completing</h2>
 * Every submitting method takes an {@code attachment} and an {@link AioCompletion}, returns at once with a
 * non-zero token for {@link #cancel(long)}, and later calls {@code completion.completed(result, attachment)}
 * <b>exactly once</b>: when the operation is done, when it failed ({@code result = -errno}, Linux numbering,
 * see {@link AioErrno}), when it was cancelled, when its handle was closed, or when this instance was closed
 * ({@code -ECANCELED}). If an operation finished before a cancel took effect, its real result is delivered.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. Completions, and tasks given to {@link #execute}, run on this
 * instance's loop — its own thread, the host thread that calls {@link #runOnce}, or the Vert.x context it is
 * bound to — one at a time, never two at once. Submissions made on the loop are batched: everything queued in
 * one loop turn reaches the kernel in one system call where the adapter can do that. Submissions from other
 * threads pass through a lock-free queue and wake a sleeping loop with at most one system call per sleep.
 * A completion may run before the submitting call returns (for example {@code -EBADF} for an unknown handle).
 *
 * <h2>Handles</h2>
 * A handle is a non-negative {@code int} naming a file, socket or eventfd opened by <i>this</i> instance: a
 * table slot and a generation, never the raw descriptor, on every adapter. The generation changes each time a slot
 * is reused, so a handle kept after its close does not name the next file or socket that gets its slot (or, on
 * io_uring, its descriptor number): an operation on a handle that is unknown, closed or stale completes with
 * {@code -EBADF}, and so does, but for a rare coincidence, a handle of another instance (each instance starts its
 * generations elsewhere). Generations repeat after about two thousand reuses of one slot, so a handle kept across
 * that many closes and reopens can match again: do not keep handles after their close. Where handles map to real
 * descriptors of the process ({@link AioCapability#RAW_FD}), {@link #fileDescriptor} gives the descriptor.
 * Closing a handle first completes its pending operations (with {@code -ECANCELED} unless they finished) and only
 * then releases the descriptor, so the kernel never sees a descriptor number reused under it.
 *
 * <h2>Buffers</h2>
 * Buffers are native {@link MemorySegment}s: from an {@link java.lang.foreign.Arena} of the caller's or from
 * {@link #buffers()}. From submission until the completion runs, the buffer belongs to the adapter: the caller
 * must neither touch it nor close its arena, and the adapter keeps it reachable until the kernel is done with
 * it — also after a cancel and during close. The length of a transfer is the segment's size (at most
 * {@code 0x7ffff000} bytes are transferred at once, as by Linux). Reads and writes of eventfds need 8 bytes.
 * Prefer segments of a shared or global arena (or {@link #buffers()}): a segment of a confined arena is usable
 * only from its owner thread, so the adapters built on Java channels, whose loop and file threads are other
 * threads, must re-scope it — a restricted method, which needs {@code --enable-native-access} for their module
 * (the JDK warns once otherwise).
 *
 * <h2>Misuse</h2>
 * Programming errors throw at once and submit nothing: {@link NullPointerException} for a null argument (the
 * attachment alone may be null), {@link IllegalArgumentException} for a heap segment, a negative offset other
 * than {@link #STREAM}, a negative timeout or backlog, a deadline that is not positive
 * ({@link AioDeadlineOperations}), an unresolved address or one of another type than {@link InetSocketAddress}
 * and {@link UnixDomainSocketAddress}, a Unix socket path that does not fit {@code sun_path}, a datagram target
 * that holds no address ({@link AioDatagramOperations}); {@link IllegalStateException} for a segment whose arena
 * is closed and for any submission after {@link #close()}. I/O failures never throw: they are results.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops accepting work, cancels everything in flight, waits (bounded by
 * {@link AioConfig#closeTimeout()}) until the kernel has given back every buffer, runs each outstanding
 * completion exactly once, and only then frees its rings, pools and threads. No completion runs after it
 * returns, with one exception: an operation the kernel still holds when the close timeout passes is never
 * completed early, since its buffer is not the caller's again until the kernel lets go of it. Close reports
 * such operations with an {@link AioCloseTimeoutException} and returns; each completes exactly once when the
 * kernel gives it back.
 */
public interface AioOperations extends AioFileOperations, AioSocketOperations, AioVectoredOperations,
        AioDeadlineOperations, AioDatagramOperations, AioReceiveOperations, AutoCloseable {

    /** The offset that means "the current position": the only one a socket or eventfd accepts. */
    long STREAM = -1L;

    /**
     * The name of the adapter, as {@link AioProvider#name()} gives it: {@code "uring"}, {@code "epoll"},
     * {@code "vertx"}.
     *
     * @return the adapter name
     */
    String adapterName();

    /**
     * What this instance supports beyond the operations every adapter performs.
     *
     * @return an unmodifiable set of capabilities
     */
    Set<AioCapability> capabilities();

    /**
     * Whether {@link #capabilities()} contains a capability.
     *
     * @param capability the capability asked about
     * @return {@code true} if supported
     */
    default boolean supports(AioCapability capability) {
        return capabilities().contains(capability);
    }

    /**
     * A snapshot of this instance's counters since it opened: operations submitted, completed and in flight, loop
     * turns, kernel entries and their batch size, wake-ups (see {@link AioStats} for what each adapter counts and
     * how stale a snapshot taken off the loop may be). Any thread, also after close (the last figures). Cheap: a
     * few plain reads and one small object; on io_uring also a scan of {@code /proc/self/task} for the kernel
     * workers.
     *
     * @return the snapshot; an adapter that counts nothing returns {@link AioStats#empty(String)}
     */
    default AioStats stats() {
        return AioStats.empty(adapterName());
    }

    /**
     * Reads into {@code buffer}, up to its size.
     *
     * <p>Completes with the number of bytes read, {@code 0} at end of file or when the peer has closed a stream,
     * or {@code -errno}. A read may be short on streams and at the end of a file. On an eventfd ({@code buffer}
     * of at least 8 bytes) the read waits until the counter is non-zero, then completes with 8, stores the
     * counter in the first 8 bytes in native byte order and resets it to 0.
     *
     * @param handle     a handle of this instance
     * @param buffer     native memory, owned by the adapter until completion
     * @param offset     a file position {@code >= 0}, or {@link #STREAM} for the current position
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or {@code offset < -1}
     * @throws IllegalStateException    if {@code buffer}'s arena is closed, or this instance is closed
     */
    <A> long read(int handle, MemorySegment buffer, long offset, A attachment, AioCompletion<? super A> completion);

    /**
     * Writes {@code buffer}, up to its size.
     *
     * <p>Completes with the number of bytes written, which may be short on streams (loop with
     * {@link AioTransfers#writeFully}), or {@code -errno}: {@code -EPIPE} or {@code -ECONNRESET} when the
     * peer has gone. Writing 8 bytes to an eventfd adds their value (native byte order) to its counter.
     *
     * @param handle     a handle of this instance
     * @param buffer     native memory, owned by the adapter until completion
     * @param offset     a file position {@code >= 0}, or {@link #STREAM} for the current position (files opened
     *                   with {@link AioOpenOption#APPEND} always write at the end)
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or {@code offset < -1}
     * @throws IllegalStateException    if {@code buffer}'s arena is closed, or this instance is closed
     */
    <A> long write(int handle, MemorySegment buffer, long offset, A attachment, AioCompletion<? super A> completion);

    /**
     * Flushes a file's data and metadata to stable storage ({@code fsync(2)}). Completes with 0 or
     * {@code -errno} ({@code -EINVAL} for sockets and eventfds).
     *
     * @param handle     a file handle of this instance
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException  if {@code completion} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion);

    /**
     * Opens a file relative to the working directory: {@link #openAt} with {@link #WORKING_DIRECTORY}. Completes
     * with the new handle, or {@code -errno}: {@code -ENOENT} when it does not exist, {@code -EEXIST} for
     * {@link AioOpenOption#CREATE_NEW} on an existing file, {@code -EISDIR}, {@code -EACCES}, {@code -ELOOP}.
     * A handle opened without {@link AioOpenOption#WRITE} completes writes with {@code -EBADF}.
     *
     * @param path       the file
     * @param options    how to open it; empty means {@link AioOpenOption#READ}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if the path contains a NUL character
     * @throws IllegalStateException    if this instance is closed
     */
    default <A> long open(Path path, Set<AioOpenOption> options, A attachment,
                          AioCompletion<? super A> completion) {
        return openAt(WORKING_DIRECTORY, path, options, attachment, completion);
    }

    /**
     * Creates a stream socket bound to {@code address} and listening: TCP for an {@link InetSocketAddress} (IPv4
     * or IPv6, with {@code SO_REUSEADDR}), a Unix domain socket for a {@link UnixDomainSocketAddress}. Completes
     * with the new handle, or {@code -errno} such as {@code -EADDRINUSE}. Port 0 binds an ephemeral port: ask
     * {@link #localAddress(int)} which.
     *
     * <p><b>Unix domain sockets.</b> Binding creates the socket file at the path; a path that exists already (a
     * live socket, a file left by a listener that was closed, any other file) completes with
     * {@code -EADDRINUSE}, and a missing directory with {@code -ENOENT}. Closing the listener does <b>not</b>
     * remove the file, as with the JDK's {@code ServerSocketChannel}: a library removes it with
     * {@link #unlink}, after closing or before listening again (the Vert.x-native mode is the one exception,
     * see {@code VertxAioOperations}). The path is given to the kernel as UTF-8 and must fit {@code sun_path}
     * (107 bytes and its NUL); a relative path is resolved against the working directory. Accepted connections
     * of a Unix listener are Unix sockets: no {@code TCP_NODELAY}, and only some options apply
     * ({@link AioSocketOption#appliesToUnixSocket()}).
     *
     * @param address    a resolved {@link InetSocketAddress}, or a {@link UnixDomainSocketAddress}
     * @param backlog    the accept backlog, {@code >= 1} (capped by {@code net.core.somaxconn})
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code address} or {@code completion} is null
     * @throws IllegalArgumentException if {@code address} is unresolved, of another {@link SocketAddress} type, or
     *                                  a Unix path that is empty or longer than {@code sun_path} holds; or if
     *                                  {@code backlog < 1}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long listen(SocketAddress address, int backlog, A attachment, AioCompletion<? super A> completion);

    /**
     * Accepts one connection on a listening handle. Completes with the new socket's handle ({@code TCP_NODELAY}
     * set on TCP), or {@code -errno}.
     *
     * @param listenHandle a handle from {@link #listen}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result
     * @param <A>          the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException  if {@code completion} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion);

    /**
     * Opens a stream connection: TCP to an {@link InetSocketAddress}, or to the Unix domain socket at a
     * {@link UnixDomainSocketAddress}'s path. Completes with the new socket's handle ({@code TCP_NODELAY} set on
     * TCP), or {@code -errno}: {@code -ECONNREFUSED} when nothing listens (for a Unix path: a socket file whose
     * listener was closed), {@code -ENOENT} for a Unix path that does not exist, {@code -ETIMEDOUT},
     * {@code -ENETUNREACH}. The local end of a Unix connection is unbound: {@link #localAddress(int)} gives an
     * empty path, as does the peer's {@link #remoteAddress(int)} on the accepting side. A Unix listener whose
     * backlog is full refuses a non-blocking {@code connect(2)} with {@code -EAGAIN} rather than letting it wait
     * (TCP retries the handshake instead): the epoll and Vert.x-native adapters complete with {@code -EAGAIN}
     * then, and a library retries later; on io_uring the kernel makes the connect wait until the listener
     * accepts (or the deadline passes), as a blocking connect does.
     *
     * @param address    a resolved {@link InetSocketAddress} (no name lookup happens on the loop), or a
     *                   {@link UnixDomainSocketAddress}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code address} or {@code completion} is null
     * @throws IllegalArgumentException if {@code address} is unresolved, of another {@link SocketAddress} type, or
     *                                  a Unix path that is empty or longer than {@code sun_path} holds
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long connect(SocketAddress address, A attachment, AioCompletion<? super A> completion);

    /**
     * Closes a handle: first completes every pending operation on it (with {@code -ECANCELED} unless it had
     * finished), then releases it. Completes with 0, or {@code -EBADF} when the handle is unknown or already
     * closed. From the moment this is called, new operations on the handle complete with {@code -EBADF}.
     *
     * @param handle     a handle of this instance
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0 (cancelling a close has no effect)
     * @throws NullPointerException  if {@code completion} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long close(int handle, A attachment, AioCompletion<? super A> completion);

    /**
     * Creates an eventfd: a 64-bit counter with Linux {@code eventfd(2)} semantics. {@link #signal} and 8-byte
     * {@link #write}s add to it; an 8-byte {@link #read} waits until it is non-zero, returns its value and resets
     * it to 0. Completes with the new handle, or {@code -errno}. On io_uring it is a kernel eventfd
     * ({@link AioCapability#NATIVE_EVENTFD}); elsewhere an emulation with the same rules.
     *
     * @param initialValue the counter's initial value, from 0 to {@code 0xffffffff}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result
     * @param <A>          the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code initialValue} is out of range
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion);

    /**
     * Adds {@code n} to an eventfd's counter, waking a pending read. Safe on any thread and cheap: the building
     * block for a library whose own threads report finished work to the loop.
     *
     * @param eventfdHandle a handle from {@link #eventfd}
     * @param n             the amount to add, from 1 to {@link Long#MAX_VALUE} (larger amounts, which Linux accepts,
     *                      take two calls)
     * @return {@code true} if added; {@code false} if the handle is not an open eventfd of this instance, or the
     *         counter would exceed {@code 0xfffffffffffffffe} (then it is unchanged)
     * @throws IllegalArgumentException if {@code n < 1}
     */
    boolean signal(int eventfdHandle, long n);

    /**
     * Completes with 0 once {@code nanos} have passed (on the monotonic clock), or with {@code -ECANCELED} when
     * cancelled first. Timeouts with the same delay complete in submission order.
     *
     * @param nanos      the delay, {@code >= 0}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link #cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code nanos < 0}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion);

    /**
     * Asks for the operation of {@code token} to stop. If it is still pending, it completes with
     * {@code -ECANCELED}; if it has finished, or is finishing, its real result is delivered and nothing else
     * happens. Tokens of completed operations, of other instances and 0 are ignored. Safe on any thread; the
     * cancellation takes effect asynchronously.
     *
     * @param token a token returned by a submitting method
     */
    void cancel(long token);

    /**
     * Runs {@code task} on the loop, after the tasks that the same thread passed before it. A task that throws
     * is reported to {@link AioConfig#errorHandler()}. Tasks still queued at {@link #close()} are run (on the
     * closing loop) before close returns, so none is lost.
     *
     * @param task what to run on the loop; must not block
     * @throws NullPointerException  if {@code task} is null
     * @throws IllegalStateException if this instance is closed
     */
    void execute(Runnable task);

    /**
     * Whether the calling thread is this instance's loop (its own thread, the host thread driving it, or the
     * Vert.x context's thread).
     *
     * @return {@code true} on the loop
     */
    boolean inLoop();

    /**
     * The local address of a socket handle; for a listener on port 0, the port that was bound. Any thread.
     *
     * @param handle a socket handle of this instance
     * @return the bound address: an {@link InetSocketAddress} for TCP, a {@link UnixDomainSocketAddress} for a
     *         Unix domain socket (the listener's path for a listener and the connections it accepted, an empty
     *         path for the connecting end, which is not bound)
     * @throws AioException with {@link AioErrno#EBADF} for an unknown or closed handle, or {@code ENOTSOCK}
     * @throws IOException  if the address cannot be read
     */
    SocketAddress localAddress(int handle) throws IOException;

    /**
     * The real file descriptor behind a handle, for a library that must hand it to another API (a
     * {@code sendfile}, a {@code /proc/self/fd} path, a foreign poller). Any thread. The descriptor stays owned by
     * this instance: it is valid only until the handle's close completes (its number may then name anything), and
     * the caller must never close it, nor change its flags in ways that this instance relies on (it is
     * non-blocking where the adapter made it so).
     *
     * @param handle a handle of this instance
     * @return the descriptor, {@code >= 0}
     * @throws AioException with {@link AioErrno#EBADF} for a handle that is unknown, stale or being closed; with
     *                      {@link AioErrno#EOPNOTSUPP}, whatever the handle, on an adapter without
     *                      {@link AioCapability#RAW_FD} (there is no descriptor to give: epoll, Vert.x native)
     */
    int fileDescriptor(int handle) throws AioException;

    /**
     * The adapter-owned buffer pool, sized by {@link AioConfig#bufferCount()} and {@link AioConfig#bufferSize()}.
     * Registered with the ring on io_uring ({@link AioCapability#REGISTERED_BUFFERS}).
     *
     * @return the pool, never null (possibly of capacity 0)
     */
    AioBufferPool buffers();

    /**
     * Drives the loop for one turn, for an instance opened with {@link AioConfig.Threading#HOST_DRIVEN}: submits
     * what is queued, waits up to {@code timeoutNanos} for at least one completion or task, and runs every
     * completion and task that is ready. The first thread that calls it becomes the loop thread for good. It is
     * not re-entrant: a completion or task it runs must not call it.
     *
     * @param timeoutNanos 0 to return at once, a positive wait, or a negative value to wait without limit
     * @return the number of completions and tasks run
     * @throws IllegalStateException if this instance runs on its own thread, is closed, is driven by another
     *                               thread, or is called from inside its own turn
     */
    int runOnce(long timeoutNanos);

    /**
     * A file descriptor that becomes readable when this instance has completions or tasks ready, so that a
     * foreign event loop can poll it and then call {@link #runOnce(long) runOnce(0)}. On io_uring this is an
     * eventfd registered with the ring; read and reset it (8 bytes) before calling {@code runOnce}.
     *
     * @return the descriptor, or -1 without {@link AioCapability#NOTIFICATION_FD} (which an adapter may offer only on
     *         host-driven instances: one that runs its own loop thread has no foreign loop to notify)
     */
    int notificationFd();

    /**
     * Closes this instance: stops accepting work, completes every operation in flight exactly once (with
     * {@code -ECANCELED} unless it had finished), runs queued tasks, waits for the kernel to give back every
     * buffer (bounded by {@link AioConfig#closeTimeout()}), then frees rings, buffers and threads. Idempotent; any
     * thread, including the loop (a completion may close its own instance). When it returns, from a thread other
     * than the loop, no completion is running and none will run — except for operations that the kernel still
     * held when the close timeout passed: close reports those to {@link AioConfig#errorHandler()} with an
     * {@link AioCloseTimeoutException} and leaves them pending, their buffers and the memory the kernel needs for
     * them kept alive, and each completes exactly once when the kernel returns it. Called on the loop (from a completion or task),
     * it cannot wait for itself: it runs every completion it can at once, and the rest — operations the kernel
     * still holds when the loop belongs to a host that reaps the ring itself, such as Vert.x's shared ring — run
     * on the loop right after, each still exactly once. A {@link AioConfig.Threading#HOST_DRIVEN} instance is
     * closed by its driving thread (or by any thread before one has driven it).
     *
     * @throws IllegalStateException if a host-driven instance is closed by a thread other than its driver
     */
    @Override
    void close();
}
