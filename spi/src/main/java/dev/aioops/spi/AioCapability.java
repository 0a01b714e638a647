package dev.aioops.spi;

/**
 * What an adapter can do beyond the operations every adapter performs. Ask with
 * {@link AioOperations#supports(AioCapability)}; an operation whose capability is missing completes with
 * {@link AioErrno#EOPNOTSUPP}.
 */
public enum AioCapability {

    /**
     * Handles map to real descriptors of the process (io_uring, the Vert.x shared ring), which
     * {@link AioOperations#fileDescriptor(int)} gives; without it there is no descriptor behind a handle (Java
     * channels and Vert.x sockets), and that call throws with {@code EOPNOTSUPP}. Either way a handle is a table
     * slot with a generation, never the descriptor itself.
     */
    RAW_FD,

    /** {@link AioOperations#buffers()} are registered with the kernel and used with the {@code *_FIXED} opcodes. */
    REGISTERED_BUFFERS,

    /** {@link AioOpenOption#DIRECT} ({@code O_DIRECT}) is honoured for files. */
    DIRECT_IO,

    /** Eventfds are kernel {@code eventfd(2)} objects rather than an emulation with the same counter rules. */
    NATIVE_EVENTFD,

    /**
     * The adapter can be opened with {@link AioConfig.Threading#HOST_DRIVEN} and driven by the host through
     * {@link AioOperations#runOnce(long)}. Without it (the Vert.x adapter, whose loop is the Vert.x context's),
     * opening with that threading throws {@link IllegalArgumentException}.
     */
    HOST_DRIVEN,

    /** {@link AioOperations#notificationFd()} returns a descriptor a foreign event loop can poll. */
    NOTIFICATION_FD,

    /** Operations queued in one loop turn reach the kernel in one system call. */
    BATCHED_SUBMISSION,

    /** File reads and writes are performed without a thread pool. */
    POOL_FREE_FILE_IO,

    /** Operations are submitted to an io_uring that the host (for example a Vert.x event loop) also uses. */
    SHARED_RING,

    /**
     * Opens honour {@link AioOpenOption#BENEATH} and {@link AioOpenOption#NO_SYMLINKS}: the kernel has
     * {@code openat2(2)} (Linux 5.6) and the adapter uses it.
     */
    CONFINED_OPEN,

    /**
     * {@link AioSocketOperations#setSocketOption} and {@link AioSocketOperations#socketOption} work on a listening
     * handle too (for the options of {@link AioSocketOption#appliesToListener()}). Without it (Vert.x native,
     * whose listener is a {@code NetServer} that shows no channel before its first connection) they throw an
     * {@link AioException} with {@code EOPNOTSUPP} for a listener; connected sockets always take options.
     */
    LISTENER_SOCKET_OPTIONS,

    /**
     * A Unix domain connection ({@link java.net.UnixDomainSocketAddress}) stays half-open when its peer shuts down
     * writing ({@link AioSocketOperations#shutdown} with {@link AioShutdown#WRITE}): this side reads end of stream
     * and can still write, as with TCP on every adapter. Without it (the Vert.x-native mode: Netty 4.2 keeps only
     * TCP channels half-open on its NIO and io_uring transports, and closes a Unix channel at end of stream),
     * reading the peer's end of stream ends the connection and a later write completes with {@code -EPIPE}; a
     * library that must reply after its peer's end of stream uses TCP there, or a protocol that does not
     * half-close.
     */
    UNIX_HALF_CLOSE,

    /**
     * A listen with {@link AioSocketOption#SO_REUSEPORT} ({@link AioListenOptions#reusePort()}) binds a port that
     * other listeners with the option hold, in this instance, in another instance of the process or in another
     * process of the same user, and the kernel spreads the incoming connections over them: what
     * {@link AioServers#listenOnEvery} builds a server across an {@link AioGroup} on. Without it (the Vert.x-native
     * mode on Vert.x's NIO transport, which does not pass the option to its sockets) such a listen completes with
     * {@code -EOPNOTSUPP}.
     */
    REUSE_PORT,

    /**
     * {@link AioReceiveOperations#receiveChunks} is served by the kernel from a buffer ring shared by every
     * connection (io_uring's multishot {@code RECV} with provided buffers): an idle connection holds no buffer.
     * Without it the stream is emulated with one read at a time, each waiting stream holding the buffer of its read
     * (one per stream besides the {@link AioConfig#receiveBufferCount()} shared ones); the contract is the same.
     */
    PROVIDED_BUFFERS,

    /**
     * {@link AioReceiveOperations#acceptStream} is served by the kernel with one request for many connections
     * (io_uring's multishot {@code ACCEPT}); without it the adapter accepts one connection at a time, with the same
     * contract.
     */
    MULTISHOT_ACCEPT
}
