package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioStats;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.DatagramChecks;
import dev.aioops.spi.internal.DeadlineChecks;
import dev.aioops.spi.internal.FileChecks;
import dev.aioops.spi.internal.JfrHook;
import dev.aioops.spi.internal.ReadChunkStreams;
import dev.aioops.spi.internal.SendFileChecks;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.spi.internal.VectorChecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AioOperations} on one {@link Selector} loop: sockets non-blocking with I/O tried at once and again on
 * readiness, files on a bounded pool of threads making the system calls on raw descriptors ({@code pread},
 * {@code pwrite}, {@code openat2}, {@code statx}, ...; {@link FileIo}), eventfds and timeouts in Java on the loop,
 * UDP on non-blocking {@link java.nio.channels.DatagramChannel}s ({@link DatagramDriver}).
 *
 * <p><b>This class is the public face</b>, called from any thread: it checks arguments ({@link Checks}; misuse
 * throws at once), describes each submission as an {@link Op} with a token, and hands it to the
 * {@link EpollLoop}, which starts it on the loop thread with the one driver method for its kind
 * ({@link OpRouter}). It owns the {@link HandleTable}, which it reads from any thread ({@code signal},
 * {@code localAddress}), the token counter and the buffer pool; the loop owns everything else.
 *
 * <p><b>Threads.</b> Everything but the file work runs on the loop: {@link AioConfig.Threading#OWN_THREAD}'s
 * thread, or the host thread that calls {@link #runOnce}. A submission made on the loop starts at once (its
 * completion is queued and runs later in the same turn, never inside the submitting call); one from another
 * thread travels through the loop's {@link Inbox}, a lock-free MPSC queue whose producers wake the selector only
 * when the loop is about to sleep or asleep. File-pool threads hand their results back through the same inbox,
 * so completions never run on a pool thread.
 *
 * <p><b>Tokens</b> come from one 64-bit counter per instance, so a token never names two operations and a stale
 * one cancels nothing, although operation records are reused: any thread must get its token at once, which a
 * counter gives without sharing the loop's tables. <b>Handles</b> are slots of a {@link HandleTable} with a
 * generation.
 *
 * <p><b>Closing</b> ({@link #close()}): refuses new work, lets submissions already past the check land,
 * cancels everything pending, waits (bounded by {@link AioConfig#closeTimeout()}) for pool threads still
 * using buffers, runs every completion and queued task once, then closes channels, selector, pool and the
 * buffer arena ({@link EpollLoop}, {@link HandleCloser}). A file operation whose pool thread is still inside its
 * system call after the close timeout (a {@link FileStragglers straggler}) is not completed by the close: one
 * {@link dev.aioops.spi.AioCloseTimeoutException} goes to the error handler, and the operation completes once,
 * with its real result, <em>on that pool thread</em> when the call returns, after {@code close()} has returned;
 * its file and, after the last straggler, the buffer pool are freed then.
 */
public final class EpollAioOperations implements AioOperations {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Set<AioCapability> CAPABILITIES = FileCalls.hasOpenat2()
            ? Set.of(AioCapability.HOST_DRIVEN, AioCapability.DIRECT_IO, AioCapability.LISTENER_SOCKET_OPTIONS,
                    AioCapability.REUSE_PORT, AioCapability.UNIX_HALF_CLOSE, AioCapability.CONFINED_OPEN)
            : Set.of(AioCapability.HOST_DRIVEN, AioCapability.DIRECT_IO, AioCapability.LISTENER_SOCKET_OPTIONS,
                    AioCapability.REUSE_PORT, AioCapability.UNIX_HALF_CLOSE);

    private final AioConfig config;
    private final Arena bufferArena = Arena.ofShared();
    private final HandleTable handles;
    private final EpollSocketOptions socketOptions;
    private final EpollLoop loop;
    private final SlabBufferPool buffers;
    private final AtomicLong tokens = new AtomicLong();
    private final JfrHook jfr = new JfrHook();
    private final ReadChunkStreams chunkStreams;

    private EpollAioOperations(AioConfig config) throws IOException {
        this.config = config;
        int n = INSTANCES.incrementAndGet();
        this.handles = new HandleTable(n);
        this.socketOptions = new EpollSocketOptions(handles);
        this.loop = new EpollLoop(config, n, handles, bufferArena::close);
        this.buffers = new SlabBufferPool(bufferArena, config.bufferCount(), config.bufferSize());
        // Negative tokens: the operations' counter gives positive ones only.
        this.chunkStreams = new ReadChunkStreams(this, new EpollReadiness(this, handles),
                ReadChunkStreams.NEGATIVE_TOKENS, config.receiveBufferCount(), config.receiveBufferSize(),
                config.errorHandler());
    }

    /**
     * Opens an instance and, for {@link AioConfig.Threading#OWN_THREAD}, starts its loop thread.
     *
     * @param config the configuration
     * @return the running instance
     * @throws UncheckedIOException if no selector can be opened
     */
    public static EpollAioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        EpollAioOperations ops;
        try {
            ops = new EpollAioOperations(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector for the epoll adapter", e);
        }
        ops.loop.start();
        ops.jfr.register(ops);
        return ops;
    }

    // ------------------------------------------------------------------------------------------------ API

    @Override
    public String adapterName() {
        return "epoll";
    }

    @Override
    public Set<AioCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, A attachment,
                         AioCompletion<? super A> completion) {
        return submit(readOp(handle, buffer, offset, attachment, completion));
    }

    private <A> Op readOp(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        Checks.readBuffer(buffer);
        Checks.offset(offset);
        Op op = newOp(Op.READ, handle, attachment, completion);
        op.buffer = buffer;
        op.offset = offset;
        return op;
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return submit(writeOp(handle, buffer, offset, attachment, completion));
    }

    private <A> Op writeOp(int handle, MemorySegment buffer, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        Checks.buffer(buffer);
        Checks.offset(offset);
        Op op = newOp(Op.WRITE, handle, attachment, completion);
        op.buffer = buffer;
        op.offset = offset;
        return op;
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return submit(readvOp(handle, vector, offset, attachment, completion));
    }

    private <A> Op readvOp(int handle, AioVector vector, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        VectorChecks.readVector(vector);
        Checks.offset(offset);
        Op op = newOp(Op.READ, handle, attachment, completion);
        op.vector = vector;
        op.offset = offset;
        return op;
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        return submit(writevOp(handle, vector, offset, attachment, completion));
    }

    private <A> Op writevOp(int handle, AioVector vector, long offset, A attachment,
                            AioCompletion<? super A> completion) {
        VectorChecks.vector(vector);
        Checks.offset(offset);
        Op op = newOp(Op.WRITE, handle, attachment, completion);
        op.vector = vector;
        op.offset = offset;
        return op;
    }

    // ---------------------------------------------------------------------------------------- deadlines

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                         AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(readOp(handle, buffer, offset, attachment, completion), timeoutNanos));
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(writeOp(handle, buffer, offset, attachment, completion), timeoutNanos));
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(readvOp(handle, vector, offset, attachment, completion), timeoutNanos));
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                           AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(writevOp(handle, vector, offset, attachment, completion), timeoutNanos));
    }

    @Override
    public <A> long accept(int listenHandle, long timeoutNanos, A attachment, AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(newOp(Op.ACCEPT, listenHandle, attachment, completion), timeoutNanos));
    }

    @Override
    public <A> long connect(SocketAddress address, long timeoutNanos, A attachment,
                            AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return submit(withDeadline(connectOp(address, attachment, completion), timeoutNanos));
    }

    /** Gives an operation a deadline, on the clock of {@link TimeoutDriver}, counted from now. */
    private static Op withDeadline(Op op, long timeoutNanos) {
        op.value = TimeoutDriver.deadline(timeoutNanos);
        op.deadline = true;
        return op;
    }

    @Override
    public <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.FSYNC, handle, attachment, completion));
    }

    @Override
    public <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                           AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Set<AioOpenOption> copy = FileChecks.openOptions(options);
        Op op = newOp(Op.OPEN, directory, attachment, completion);
        op.path = text;
        op.options = copy;
        return submit(op);
    }

    @Override
    public <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                         AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        FileChecks.stat(into);
        Op op = newOp(Op.STAT, directory, attachment, completion);
        op.path = text;
        op.stat = into;
        op.flags = followLinks ? 0 : FileCalls.AT_SYMLINK_NOFOLLOW;
        return submit(op);
    }

    @Override
    public <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion) {
        FileChecks.stat(into);
        Op op = newOp(Op.FSTAT, handle, attachment, completion);
        op.stat = into;
        return submit(op);
    }

    @Override
    public <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.FDATASYNC, handle, attachment, completion));
    }

    @Override
    public <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion) {
        FileChecks.length(length);
        Op op = newOp(Op.FTRUNCATE, handle, attachment, completion);
        op.offset = length;
        return submit(op);
    }

    @Override
    public <A> long fallocate(int handle, long offset, long length, A attachment,
                              AioCompletion<? super A> completion) {
        FileChecks.range(offset, length);
        Op op = newOp(Op.FALLOCATE, handle, attachment, completion);
        op.offset = offset;
        op.length = length;
        return submit(op);
    }

    @Override
    public <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                           AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Op op = newOp(Op.UNLINK, directory, attachment, completion);
        op.path = text;
        op.flags = directoryEntry ? FileCalls.AT_REMOVEDIR : 0;
        return submit(op);
    }

    @Override
    public <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                           AioCompletion<? super A> completion) {
        String fromText = FileChecks.path(from, "from");
        String toText = FileChecks.path(to, "to");
        Op op = newOp(Op.RENAME, fromDirectory, attachment, completion);
        op.path = fromText;
        op.toHandle = toDirectory;
        op.toPath = toText;
        return submit(op);
    }

    @Override
    public <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Op op = newOp(Op.MKDIR, directory, attachment, completion);
        op.path = text;
        op.flags = FileChecks.mode(mode);
        return submit(op);
    }

    @Override
    public <A> long listen(SocketAddress address, int backlog, A attachment,
                           AioCompletion<? super A> completion) {
        return listen(address, backlog, AioListenOptions.defaults(), attachment, completion);
    }

    @Override
    public <A> long listen(SocketAddress address, int backlog, AioListenOptions options, A attachment,
                           AioCompletion<? super A> completion) {
        Checks.address(address);
        Checks.backlog(backlog);
        Objects.requireNonNull(options, "options");
        Op op = newOp(Op.LISTEN, -1, attachment, completion);
        op.address = address;
        op.backlog = backlog;
        op.listenOptions = options;
        return submit(op);
    }

    @Override
    public <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.ACCEPT, listenHandle, attachment, completion));
    }

    @Override
    public <A> long connect(SocketAddress address, A attachment, AioCompletion<? super A> completion) {
        return submit(connectOp(address, attachment, completion));
    }

    private <A> Op connectOp(SocketAddress address, A attachment, AioCompletion<? super A> completion) {
        Checks.address(address);
        Op op = newOp(Op.CONNECT, -1, attachment, completion);
        op.address = address;
        return op;
    }

    @Override
    public <A> long close(int handle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.CLOSE, handle, attachment, completion));
    }

    @Override
    public <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion) {
        Checks.eventfdInitialValue(initialValue);
        Op op = newOp(Op.EVENTFD, -1, attachment, completion);
        op.value = initialValue;
        return submit(op);
    }

    @Override
    public boolean signal(int eventfdHandle, long n) {
        Checks.signalAmount(n);
        if (!(handles.get(eventfdHandle) instanceof EventfdResource r) || r.closed || !r.add(n)) {
            return false;
        }
        loop.signalled(r);
        return true;
    }

    @Override
    public <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion) {
        Checks.timeout(nanos);
        Op op = newOp(Op.TIMEOUT, -1, attachment, completion);
        op.value = TimeoutDriver.deadline(nanos);
        return submit(op);
    }

    @Override
    public void cancel(long token) {
        if (chunkStreams.owns(token)) {
            chunkStreams.cancel(token);
        } else if (token > 0) {
            loop.cancel(token);
        }
    }

    @Override
    public <A> long receiveChunks(int handle, A attachment, AioChunkHandler<? super A> handler) {
        return chunkStreams.start(handle, attachment, handler);
    }

    @Override
    public <A> long acceptStream(int listenHandle, A attachment, AioAcceptHandler<? super A> handler) {
        return chunkStreams.startAccepting(listenHandle, attachment, handler);
    }

    @Override
    public void releaseChunk(long chunk) {
        chunkStreams.release(chunk);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        loop.execute(task);
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    @Override
    public SocketAddress localAddress(int handle) throws IOException {
        return switch (handles.get(handle)) {
            case null -> throw new AioException(AioErrno.EBADF, "localAddress of handle " + handle);
            case SocketResource s -> s.channel.getLocalAddress();
            case ListenResource l -> l.channel.getLocalAddress();
            case DatagramResource d -> d.channel.getLocalAddress();
            default -> throw new AioException(AioErrno.ENOTSOCK, "localAddress of handle " + handle);
        };
    }

    @Override
    public <A> long shutdown(int handle, AioShutdown how, A attachment, AioCompletion<? super A> completion) {
        Objects.requireNonNull(how, "how");
        Op op = newOp(Op.SHUTDOWN, handle, attachment, completion);
        op.offset = how.ordinal();
        return submit(op);
    }

    // ---------------------------------------------------------------------------------------- datagrams

    @Override
    public <A> long openDatagram(InetSocketAddress bind, InetSocketAddress connectTo, A attachment,
                                 AioCompletion<? super A> completion) {
        DatagramChecks.open(bind, connectTo);
        Op op = newOp(Op.DATAGRAM_OPEN, -1, attachment, completion);
        op.address = bind;
        op.peer = connectTo;
        return submit(op);
    }

    @Override
    public <A> long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, A attachment,
                           AioCompletion<? super A> completion) {
        DatagramChecks.send(buffer, target);
        Op op = newOp(Op.SEND_TO, handle, attachment, completion);
        op.buffer = buffer;
        // Read now, on the submitting thread, which may access the holder's memory (the loop may not).
        op.address = target == null ? null : target.get();
        return submit(op);
    }

    @Override
    public <A> long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos,
                            A attachment, AioCompletion<? super A> completion) {
        DatagramChecks.receive(buffer, sender, timeoutNanos);
        Op op = newOp(Op.RECEIVE, handle, attachment, completion);
        op.buffer = buffer;
        op.socketAddress = sender;
        return submit(timeoutNanos > 0 ? withDeadline(op, timeoutNanos) : op);
    }

    @Override
    public <A> long sendFile(int socketHandle, int fileHandle, long offset, long length, A attachment,
                             AioCompletion<? super A> completion) {
        SendFileChecks.range(offset, length);
        Op op = newOp(Op.SENDFILE, socketHandle, attachment, completion);
        op.toHandle = fileHandle;
        op.offset = offset;
        op.length = length;
        return submit(op);
    }

    @Override
    public void setSocketOption(int handle, AioSocketOption option, int value) throws IOException {
        socketOptions.set(handle, option, value);
    }

    @Override
    public int socketOption(int handle, AioSocketOption option) throws IOException {
        return socketOptions.get(handle, option);
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        return socketOptions.remoteAddress(handle);
    }

    /**
     * Not supported ({@link AioCapability#RAW_FD} is not offered): handles name Java channels and emulated
     * eventfds, whose descriptors the JDK keeps to itself.
     *
     * @throws AioException always, with {@code EOPNOTSUPP}
     */
    @Override
    public int fileDescriptor(int handle) throws AioException {
        throw new AioException(AioErrno.EOPNOTSUPP, "fileDescriptor of handle " + handle
                + ": the epoll adapter's handles have no descriptor of their own (no RAW_FD)");
    }

    @Override
    public AioBufferPool buffers() {
        return buffers;
    }

    @Override
    public int runOnce(long timeoutNanos) {
        return loop.runOnce(timeoutNanos);
    }

    @Override
    public int notificationFd() {
        return -1;
    }

    @Override
    public void close() {
        loop.close();
        jfr.unregister();
    }

    @Override
    public AioStats stats() {
        return loop.counters().snapshot("epoll", 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "EpollAioOperations[" + config + "]";
    }

    // ------------------------------------------------------------------------------------------ submission

    /** Submits a readiness wait for {@link EpollReadiness}. */
    long awaitReadable(int handle, AioCompletion<Object> completion) {
        return submit(newOp(Op.AWAIT_READABLE, handle, null, completion));
    }

    /** The receive streams, for tests of this package. */
    ReadChunkStreams chunkStreams() {
        return chunkStreams;
    }

    /** The loop, for tests of this package. */
    EpollLoop loop() {
        return loop;
    }

    @SuppressWarnings("unchecked")
    private <A> Op newOp(int kind, int handle, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        Op op = loop.inLoop() ? loop.spareOp() : null;
        if (op == null) {
            op = new Op(loop);
        }
        // The completion takes any A; it is only ever called with this attachment.
        return op.init(kind, tokens.incrementAndGet(), handle, attachment, (AioCompletion<Object>) completion);
    }

    private long submit(Op op) {
        loop.submit(op);
        return op.token;
    }
}
