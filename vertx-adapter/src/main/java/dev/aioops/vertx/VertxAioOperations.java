package dev.aioops.vertx;

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
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.DatagramChecks;
import dev.aioops.spi.internal.DeadlineChecks;
import dev.aioops.spi.internal.FileChecks;
import dev.aioops.spi.internal.ReadChunkStreams;
import dev.aioops.spi.internal.SendFileChecks;
import dev.aioops.spi.internal.VectorChecks;
import dev.aioops.vertx.internal.ContextEngine;
import dev.aioops.vertx.internal.FallocateRequest;
import dev.aioops.vertx.internal.ListenRequest;
import dev.aioops.vertx.internal.MkdirRequest;
import dev.aioops.vertx.internal.Op;
import dev.aioops.vertx.internal.OpenRequest;
import dev.aioops.vertx.internal.RenameRequest;
import dev.aioops.vertx.internal.RingCapabilities;
import dev.aioops.vertx.internal.RingEngine;
import dev.aioops.vertx.internal.SendFileRequest;
import dev.aioops.vertx.internal.SocketCalls;
import dev.aioops.vertx.internal.StatRequest;
import dev.aioops.vertx.internal.UnlinkRequest;
import dev.aioops.vertx.internal.VertxEngine;
import dev.aioops.vertx.internal.VertxOwnership;
import dev.aioops.vertx.internal.VertxStats;
import io.vertx.core.Context;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AioOperations} on a Vert.x event-loop {@link Context}: every completion and every
 * {@link #execute executed} task runs on that context's event-loop thread, so a verticle that hosts an aioops
 * library needs no locks. Get one from {@link VertxAio} (bound to a verticle's context and closed with it) or
 * from {@link VertxAioProvider} (which creates and owns a Vert.x instance when called off any context).
 *
 * <p><b>Shared ring</b> ({@link VertxAioMode#SHARED_RING}), picked when the context's event loop is Netty 4.2's
 * io_uring (Vert.x started with {@code Transport.IO_URING}) unless {@value #MODE_PROPERTY}{@code =native}: every
 * operation is one submission entry of the event loop's own ring, completing on its thread; handles name real
 * descriptors, with a generation as on io_uring ({@link #fileDescriptor} gives the descriptor), eventfds are
 * kernel eventfds, datagrams go as {@code SENDMSG}/{@code RECVMSG} and files need no worker pool. A close called
 * on the loop returns before reads and writes still in the ring have completed (they complete when the kernel
 * gives their buffers back, a loop turn later); every other operation completes before it returns.
 *
 * <p><b>Vert.x-native</b> ({@link VertxAioMode#NATIVE}), on every other event loop: sockets through Vert.x's
 * {@code NetServer}, {@code NetClient} and {@code NetSocket}, whose pushed data waits in a bounded buffer per
 * socket (the socket is paused beyond 256 KiB unread) until a read copies it into the caller's segment; a write
 * copies at most 256 KiB of the caller's segment into a Vert.x buffer and completes when Vert.x has written it
 * to the socket. UDP on a Netty datagram channel of the Vert.x transport rather than Vert.x's push-based
 * {@code DatagramSocket}: it reads only while a receive waits (at most 16 datagrams ahead; the kernel's socket
 * buffer holds the rest) and into 64 KiB, so that no datagram is cut silently (Netty's default for datagrams is
 * 2,048 bytes). Files through {@link java.nio.channels.FileChannel} on a Vert.x worker executor of
 * {@link AioConfig#fileThreads()} threads, reading and writing the caller's native memory directly. Timers are
 * Vert.x timers of the context; eventfds are emulated with Linux counter semantics. Handles are table slots
 * ({@link AioCapability#RAW_FD} is not offered); tokens are a per-instance sequence, never reused.
 *
 * <p><b>Settings read</b> from {@link AioConfig}: buffer pool size, {@link AioConfig#fileThreads()},
 * {@link AioConfig#closeTimeout()}, {@link AioConfig#errorHandler()}. The Vert.x event loop always drives this
 * instance: {@link AioConfig.Threading#HOST_DRIVEN} is refused when opening ({@link AioCapability#HOST_DRIVEN} is
 * not offered), {@link #runOnce} throws and there is no {@link #notificationFd() notification fd}.
 *
 * <p><b>Closing and threads.</b> {@link #close()} waits at most {@link AioConfig#closeTimeout()} for operations the
 * kernel (shared ring) or a file worker thread (native mode, blocked in a system call) still holds. Past it, it
 * reports one {@link dev.aioops.spi.AioCloseTimeoutException} to the error handler and returns without completing
 * them: each completes exactly once, with its real result, on this instance's event-loop thread when the kernel or
 * the worker gives it back, and the instance keeps its buffer, its pool, its worker executor and (when it owns
 * one) its Vert.x instance until then. An instance opened by {@link VertxAioProvider} off any context owns its
 * Vert.x instance; its close closes that instance and waits for its threads to end, including Netty's
 * {@code globalEventExecutor} (not a daemon, it lingers for a second after the event loops terminate;
 * {@code -Daioops.vertx.awaitGlobalExecutor=false} skips that wait). An instance bound to a verticle's context
 * starts no thread of its own beyond its file worker executor (native mode), which its close ends.
 *
 * <p><b>Limits</b> of the Vert.x-native mode, all documented results rather than crashes: see
 * {@link VertxAioMode#NATIVE}.
 */
public final class VertxAioOperations implements AioOperations {

    /** The system property that forces {@link VertxAioMode#NATIVE} even on an io_uring event loop. */
    public static final String MODE_PROPERTY = "aioops.vertx.mode";

    private static final Set<VertxAioOperations> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<AioCapability> RING_CAPABILITIES = RingCapabilities.probe();

    private final ContextEngine engine;
    private final SocketCalls sockets;
    private final VertxAioMode mode;
    private final VertxStats stats = new VertxStats();
    private final ReadChunkStreams chunkStreams;

    VertxAioOperations(Context context, VertxOwnership ownership, boolean hosted, AioConfig config) {
        this.mode = VertxModeChoice.modeFor(context);
        Runnable forget = stats.whenTerminated(() -> LIVE.remove(this));
        if (mode == VertxAioMode.SHARED_RING) {
            RingEngine ring = new RingEngine(context, ownership, hosted, config, forget);
            this.engine = ring;
            this.sockets = ring.sockets();
        } else {
            VertxEngine vertxNative = new VertxEngine(context, ownership, hosted, config, forget);
            this.engine = vertxNative;
            this.sockets = vertxNative.sockets();
        }
        // Negative tokens: the engines' counters give positive ones only. No ReadinessWaits: in both modes a waiting
        // stream posts a read holding a pool buffer (a ring read, or a read waiting on the pushed inbound queue).
        this.chunkStreams = new ReadChunkStreams(this, ReadChunkStreams.NEGATIVE_TOKENS, config.receiveBufferCount(),
                config.receiveBufferSize(), config.errorHandler());
        LIVE.add(this);
        stats.register(this, engine);
    }

    /**
     * The context every completion runs on.
     *
     * @return the event-loop context this instance is bound to
     */
    public Context context() {
        return engine.context();
    }

    /**
     * How this instance performs its operations.
     *
     * @return the mode picked when it was opened
     */
    public VertxAioMode mode() {
        return mode;
    }

    @Override
    public String adapterName() {
        return VertxAioProvider.NAME;
    }

    @Override
    public Set<AioCapability> capabilities() {
        return mode == VertxAioMode.SHARED_RING ? RING_CAPABILITIES : ((VertxEngine) engine).capabilities();
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, A attachment,
                         AioCompletion<? super A> completion) {
        Checks.readBuffer(buffer);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.READ, attachment, completion);
        return engine.submit(engine.transfer(op, handle, buffer, offset));
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        Checks.buffer(buffer);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.WRITE, attachment, completion);
        return engine.submit(engine.transfer(op, handle, buffer, offset));
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        VectorChecks.readVector(vector);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.READV, attachment, completion);
        return engine.submit(engine.request(op, handle, vector, offset));
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        VectorChecks.vector(vector);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.WRITEV, attachment, completion);
        return engine.submit(engine.request(op, handle, vector, offset));
    }

    // ------------------------------------------------------------------------------------------ deadlines

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                         AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        Checks.readBuffer(buffer);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.READ, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.transfer(op, handle, buffer, offset));
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        Checks.buffer(buffer);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.WRITE, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.transfer(op, handle, buffer, offset));
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        VectorChecks.readVector(vector);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.READV, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.request(op, handle, vector, offset));
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                           AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        VectorChecks.vector(vector);
        Checks.offset(offset);
        Op op = engine.newOperation(Op.Kind.WRITEV, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.request(op, handle, vector, offset));
    }

    @Override
    public <A> long accept(int listenHandle, long timeoutNanos, A attachment, AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        Op op = engine.newOperation(Op.Kind.ACCEPT, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.request(op, listenHandle, null, 0));
    }

    @Override
    public <A> long connect(SocketAddress address, long timeoutNanos, A attachment,
                            AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        Checks.address(address);
        Op op = engine.newOperation(Op.Kind.CONNECT, attachment, completion).deadline(timeoutNanos);
        return engine.submit(engine.request(op, 0, address, 0));
    }

    // ------------------------------------------------------------------------------------------ datagrams

    @Override
    public <A> long openDatagram(InetSocketAddress bind, InetSocketAddress connectTo, A attachment,
                                 AioCompletion<? super A> completion) {
        DatagramChecks.open(bind, connectTo);
        Op op = engine.newOperation(Op.Kind.DATAGRAM_OPEN, attachment, completion);
        return engine.submit(engine.request(op, 0, new InetSocketAddress[] {bind, connectTo}, 0));
    }

    @Override
    public <A> long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, A attachment,
                           AioCompletion<? super A> completion) {
        DatagramChecks.send(buffer, target);
        Op op = engine.transfer(engine.newOperation(Op.Kind.SEND_TO, attachment, completion), handle, buffer, -1);
        // The target's length is read here: the holder's arena may be confined to this thread.
        return engine.submit(engine.request(op, handle, target, target == null ? 0 : target.length()));
    }

    @Override
    public <A> long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos,
                            A attachment, AioCompletion<? super A> completion) {
        DatagramChecks.receive(buffer, sender, timeoutNanos);
        Op op = engine.transfer(engine.newOperation(Op.Kind.RECEIVE, attachment, completion), handle, buffer, -1);
        if (timeoutNanos > 0) {
            op.deadline(timeoutNanos);
        }
        return engine.submit(engine.request(op, handle, sender, 0));
    }

    @Override
    public <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion) {
        Op op = engine.newOperation(Op.Kind.FSYNC, attachment, completion);
        return engine.submit(engine.request(op, handle, null, 0));
    }

    @Override
    public <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                           AioCompletion<? super A> completion) {
        FileChecks.path(path, "path");
        Set<AioOpenOption> copy = FileChecks.openOptions(options);
        Op op = engine.newOperation(Op.Kind.OPEN, attachment, completion);
        return engine.submit(engine.request(op, directory, new OpenRequest(path, copy), 0));
    }

    @Override
    public <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                         AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        FileChecks.stat(into);
        Op op = engine.newOperation(Op.Kind.STAT, attachment, completion);
        return engine.submit(engine.request(op, directory, new StatRequest(text, followLinks, into), 0));
    }

    @Override
    public <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion) {
        FileChecks.stat(into);
        Op op = engine.newOperation(Op.Kind.FSTAT, attachment, completion);
        return engine.submit(engine.request(op, handle, into, 0));
    }

    @Override
    public <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion) {
        Op op = engine.newOperation(Op.Kind.FDATASYNC, attachment, completion);
        return engine.submit(engine.request(op, handle, null, 0));
    }

    @Override
    public <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion) {
        FileChecks.length(length);
        Op op = engine.newOperation(Op.Kind.FTRUNCATE, attachment, completion);
        return engine.submit(engine.request(op, handle, null, length));
    }

    @Override
    public <A> long fallocate(int handle, long offset, long length, A attachment,
                              AioCompletion<? super A> completion) {
        FileChecks.range(offset, length);
        Op op = engine.newOperation(Op.Kind.FALLOCATE, attachment, completion);
        return engine.submit(engine.request(op, handle, new FallocateRequest(offset, length), 0));
    }

    @Override
    public <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                           AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Op op = engine.newOperation(Op.Kind.UNLINK, attachment, completion);
        return engine.submit(engine.request(op, directory, new UnlinkRequest(text, directoryEntry), 0));
    }

    @Override
    public <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                           AioCompletion<? super A> completion) {
        String fromText = FileChecks.path(from, "from");
        String toText = FileChecks.path(to, "to");
        Op op = engine.newOperation(Op.Kind.RENAME, attachment, completion);
        return engine.submit(engine.request(op, fromDirectory, new RenameRequest(fromText, toDirectory, toText), 0));
    }

    @Override
    public <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        FileChecks.mode(mode);
        Op op = engine.newOperation(Op.Kind.MKDIR, attachment, completion);
        return engine.submit(engine.request(op, directory, new MkdirRequest(text, mode), 0));
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
        ListenRequest request = new ListenRequest(address, Objects.requireNonNull(options, "options"));
        Op op = engine.newOperation(Op.Kind.LISTEN, attachment, completion);
        return engine.submit(engine.request(op, 0, request, Math.min(backlog, 4096)));
    }

    @Override
    public <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion) {
        Op op = engine.newOperation(Op.Kind.ACCEPT, attachment, completion);
        return engine.submit(engine.request(op, listenHandle, null, 0));
    }

    @Override
    public <A> long connect(SocketAddress address, A attachment, AioCompletion<? super A> completion) {
        Checks.address(address);
        Op op = engine.newOperation(Op.Kind.CONNECT, attachment, completion);
        return engine.submit(engine.request(op, 0, address, 0));
    }

    @Override
    public <A> long close(int handle, A attachment, AioCompletion<? super A> completion) {
        Op op = engine.newOperation(Op.Kind.CLOSE, attachment, completion);
        return engine.submit(engine.request(op, handle, null, 0));
    }

    @Override
    public <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion) {
        Checks.eventfdInitialValue(initialValue);
        Op op = engine.newOperation(Op.Kind.EVENTFD, attachment, completion);
        return engine.submit(engine.request(op, 0, null, initialValue));
    }

    @Override
    public boolean signal(int eventfdHandle, long n) {
        Checks.signalAmount(n);
        return engine.signal(eventfdHandle, n);
    }

    @Override
    public <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion) {
        Checks.timeout(nanos);
        Op op = engine.newOperation(Op.Kind.TIMEOUT, attachment, completion);
        return engine.submit(engine.request(op, 0, null, nanos));
    }

    @Override
    public void cancel(long token) {
        if (chunkStreams.owns(token)) {
            chunkStreams.cancel(token);
            return;
        }
        engine.cancel(token);
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
        engine.execute(task);
    }

    @Override
    public boolean inLoop() {
        return engine.inLoop();
    }

    @Override
    public SocketAddress localAddress(int handle) throws IOException {
        return engine.localAddress(handle);
    }

    @Override
    public <A> long shutdown(int handle, AioShutdown how, A attachment, AioCompletion<? super A> completion) {
        Objects.requireNonNull(how, "how");
        Op op = engine.newOperation(Op.Kind.SHUTDOWN, attachment, completion);
        return engine.submit(engine.request(op, handle, how, 0));
    }

    /**
     * {@inheritDoc}
     *
     * <p>In the shared ring, {@code SPLICE} through a pipe of this instance, as on the io_uring adapter. In the
     * Vert.x-native mode, Netty {@code DefaultFileRegion}s of at most 1 MiB each on the socket's channel, written one
     * after the other; a region Netty has begun cannot be withdrawn, so a cancel stops the send after it, and after
     * the close of the file handle Netty still sends the rest of that region.
     */
    @Override
    public <A> long sendFile(int socketHandle, int fileHandle, long offset, long length, A attachment,
                             AioCompletion<? super A> completion) {
        SendFileChecks.range(offset, length);
        Op op = engine.newOperation(Op.Kind.SENDFILE, attachment, completion);
        return engine.submit(engine.request(op, socketHandle, new SendFileRequest(fileHandle, offset, length), 0));
    }

    /**
     * {@inheritDoc}
     *
     * <p>In the Vert.x-native mode a listener takes no options ({@code EOPNOTSUPP}): a Vert.x {@code NetServer}
     * shows no channel to set them on. The shared ring sets them on the listener's descriptor.
     */
    @Override
    public void setSocketOption(int handle, AioSocketOption option, int value) throws IOException {
        sockets.set(handle, option, value);
    }

    @Override
    public int socketOption(int handle, AioSocketOption option) throws IOException {
        return sockets.get(handle, option);
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        return sockets.remoteAddress(handle);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The shared ring gives the descriptor; the Vert.x-native mode has none to give ({@code EOPNOTSUPP}): its
     * sockets are Vert.x's and its files {@code FileChannel}s, whose descriptors they keep to themselves.
     */
    @Override
    public int fileDescriptor(int handle) throws AioException {
        if (engine instanceof RingEngine ring) {
            return ring.fileDescriptor(handle);
        }
        throw new AioException(AioErrno.EOPNOTSUPP, "fileDescriptor of handle " + handle
                + ": the Vert.x-native mode's handles have no descriptor of their own (no RAW_FD)");
    }

    @Override
    public AioBufferPool buffers() {
        return engine.buffers();
    }

    /**
     * Not supported: the Vert.x event loop drives this instance by itself, whatever
     * {@link AioConfig#threading()} says.
     *
     * @param timeoutNanos ignored
     * @return never returns normally
     * @throws IllegalStateException always
     */
    @Override
    public int runOnce(long timeoutNanos) {
        throw new IllegalStateException("the vertx adapter is driven by its Vert.x event loop; runOnce is not "
                + "supported (there is no host-driven mode on a Vert.x context)");
    }

    /**
     * Always -1: a Vert.x event loop is not nested in a foreign loop ({@link AioCapability#NOTIFICATION_FD} is
     * not offered).
     *
     * @return -1
     */
    @Override
    public int notificationFd() {
        return -1;
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public dev.aioops.spi.AioStats stats() {
        return stats.snapshot();
    }

    @Override
    public String toString() {
        return "VertxAioOperations[" + mode + ", " + engine.context() + "]";
    }

    /** How many handles are open; for tests. */
    int openHandles() {
        return engine.openHandles();
    }

    /** How many operations are in flight on the loop; for tests. */
    int inFlight() {
        return engine.inFlight();
    }

    /** Bytes received on sockets and not yet read (native mode; 0 in the shared ring, where the kernel buffers). */
    long bufferedBytes() {
        return engine instanceof VertxEngine e ? e.bufferedBytes() : 0;
    }

    /** Whether close has finished; for tests. */
    boolean isTerminated() {
        return engine.isTerminated();
    }

    /** Instances opened and not yet closed through {@link #close()} or their context's close hook; for tests. */
    static Set<VertxAioOperations> live() {
        return LIVE;
    }
}
