package dev.aioops.uring.internal;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCloseTimeoutException;
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
import dev.aioops.spi.AioStats;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.DeadlineChecks;
import dev.aioops.spi.internal.SendFileChecks;
import dev.aioops.spi.internal.VectorChecks;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.Sockets;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * {@link AioOperations} on one io_uring, driven by one loop thread (its own, or the host's through
 * {@link #runOnce}). This class is the public face: it checks arguments (misuse throws at once) and routes each
 * operation, on the loop thread straight to its encoding, from any other thread through the loop's inbox. The loop
 * is {@link UringLoop}.
 *
 * <p><b>Sockets</b> use {@code RECV} and {@code SEND} (with {@code MSG_NOSIGNAL}), datagram sockets
 * {@code RECVMSG} and {@code SENDMSG} ({@link RingDatagramOperations}); files and eventfds use
 * {@code READ}/{@code WRITE}, or {@code READ_FIXED}/{@code WRITE_FIXED} for buffers of {@link #buffers()}, which
 * is registered with the ring. A file position on a socket or eventfd completes with {@code -ESPIPE}.
 *
 * <p><b>Tokens and user_data.</b> An op submitted on the loop gets the token {@code generation << 32 | slot},
 * which is also its SQE's user_data, so completing and cancelling need no lookup. An op submitted on another
 * thread is given a token with the top bit set at once; the loop maps it to the op's slot when it submits it
 * (cancels of such tokens travel through the inbox behind the submission). Tokens of ops that complete without
 * reaching the kernel (eventfd, early errors, listen before Linux 6.11) have generation 0 and cancel nothing.
 *
 * <p><b>Listen</b> is done by the ring where the kernel has {@code IORING_OP_BIND} and {@code LISTEN} (6.11):
 * {@code SOCKET}, then {@code BIND}, then {@code LISTEN} under one slot and token ({@link ListenSteps}); before,
 * by the three system calls on the loop, none of which waits. The bound address is read once, then, and
 * {@link #localAddress} of a listener returns it without a system call.
 *
 * <p><b>Handles</b> name the descriptors this instance opened: {@code generation << 20 | fd} in a table indexed by fd
 * ({@link FdTable}, {@code DescriptorTable}), so that a handle kept after its close is {@code -EBADF} even once the
 * kernel has reused its number; anything else, including 0/1/2, bare descriptor numbers and a handle being closed, is
 * {@code -EBADF}. {@link #fileDescriptor} gives the descriptor ({@link AioCapability#RAW_FD}). Closing a handle cancels
 * its ops by fd ({@code ASYNC_CANCEL_FD|ALL}, or one by one before Linux 5.19), waits for their CQEs and for threads
 * inside {@code signal}/{@code localAddress}, and only then calls {@code close(2)}.
 *
 * <p><b>Close</b> shuts down sockets with ops in flight (a cancel of many polled ops is quadratic in the kernel),
 * cancels everything else ({@code ASYNC_CANCEL_ANY|ALL}) and reaps until every op has completed or
 * {@link AioConfig#closeTimeout()} has passed. Ops the kernel still holds then are reported to the error handler as
 * one {@link AioCloseTimeoutException} and stay pending: the ring, the registered pool, the op table and their
 * buffers stay alive, and each completes exactly once when its CQE arrives; then everything is freed. Those late
 * completions run on the loop thread: an instance on its own thread keeps that thread (daemon as configured) after
 * close() has returned, until the last one; a {@link AioConfig.Threading#HOST_DRIVEN} instance lets its driver keep
 * calling {@link #runOnce}, which then only waits for and runs them, and throws once they are all done (a driver
 * that stops calling it keeps the ring and that memory until the JVM exits).
 *
 * <p><b>Settings read</b> from {@link AioConfig}: threading, threadName, daemon, queueDepth (SQ size; the CQ is
 * at least twice as large), bufferCount/bufferSize, maxKernelWorkers, sqPoll, closeTimeout, errorHandler.
 */
public final class UringAioOperations implements AioOperations {

    private final UringLoop loop;
    private final RingOperations ops;
    private final FdTable fds;
    private final UringSocketCalls socketCalls;
    private final UringTransfers transfers;
    private final UringFileSystem fileSystem;
    private final UringDatagrams datagrams;
    private final Set<AioCapability> capabilities;
    private final UringStats stats;
    private final UringReceives receives;

    private UringAioOperations(UringLoop loop) {
        this.loop = loop;
        this.ops = loop.operations();
        this.fds = loop.handles().table();
        this.socketCalls = new UringSocketCalls(fds);
        this.transfers = new UringTransfers(loop);
        this.fileSystem = new UringFileSystem(loop);
        this.datagrams = new UringDatagrams(loop);
        this.stats = new UringStats(loop);
        this.receives = new UringReceives(loop, this, ops.supportedOpcodes());
        this.capabilities = UringCapabilities.of(loop, receives);
    }

    /**
     * Opens an instance: sets up its ring and starts its loop thread unless host-driven.
     *
     * @param config the configuration
     * @return the running instance
     * @throws UringException if the kernel refuses the ring
     */
    public static UringAioOperations open(AioConfig config) {
        return open(config, 0);
    }

    /**
     * Opens an instance with a given CQ size, for tests of overflow handling.
     *
     * @param config    the configuration
     * @param cqEntries the CQ size, or 0 for the default
     * @return the running instance
     */
    static UringAioOperations open(AioConfig config, int cqEntries) {
        return open(config, cqEntries, null);
    }

    /**
     * Opens an instance with given setup flags, for tests of the paths older kernels take.
     *
     * @param config    the configuration
     * @param cqEntries the CQ size, or 0 for the default
     * @param setup     the {@code IORING_SETUP_*} sets to try in order, or null for the default
     * @return the running instance
     */
    static UringAioOperations open(AioConfig config, int cqEntries, int[] setup) {
        return open(config, cqEntries, setup, new int[0]);
    }

    /**
     * Opens an instance that behaves as if the kernel lacked some opcodes, for tests of the {@code -EOPNOTSUPP}
     * paths: the probed set is masked before the first submission.
     *
     * @param config         the configuration
     * @param missingOpcodes {@code IORING_OP_*} values to treat as missing
     * @return the running instance
     */
    static UringAioOperations openWithout(AioConfig config, int... missingOpcodes) {
        return open(config, 0, null, missingOpcodes);
    }

    private static UringAioOperations open(AioConfig config, int cqEntries, int[] setup, int[] missingOpcodes) {
        Ring ring = RingSpec.of(config, cqEntries, setup).setup();
        return start(new UringLoop(config, ring, missingOpcodes));
    }

    /**
     * Opens an instance on a ring the caller set up (a group member's, attached to another ring's io-wq).
     *
     * @param config the configuration
     * @param ring   the ring, owned from now on
     * @return the running instance
     */
    static UringAioOperations open(AioConfig config, Ring ring) {
        return start(new UringLoop(config, ring));
    }

    private static UringAioOperations start(UringLoop loop) {
        UringAioOperations ops = new UringAioOperations(loop);
        loop.start();
        ops.stats.register(ops);
        return ops;
    }

    private void checkOpen() {
        if (loop.isClosing()) {
            throw Checks.closed("uring");
        }
    }

    /** The loop, for tests of this package and the group ({@link UringGroup}). */
    UringLoop loop() {
        return loop;
    }

    @SuppressWarnings("unchecked")
    private static AioCompletion<Object> erase(AioCompletion<?> completion) {
        return (AioCompletion<Object>) completion;
    }

    /** Any thread but the loop: hands an operation to the loop, which replays it; returns its token at once. */
    private long remote(RemoteRequest.Replay replay, int handle, MemorySegment buffer, long value, Object argument,
                        Object attachment, AioCompletion<?> completion) {
        return loop.inbox().submit(new RemoteRequest(replay, handle, buffer, value, argument, attachment,
                erase(completion)));
    }

    @Override
    public String adapterName() {
        return "uring";
    }

    @Override
    public Set<AioCapability> capabilities() {
        return capabilities;
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, A attachment,
                         AioCompletion<? super A> completion) {
        return transfers.transfer(false, handle, buffer, offset, 0, attachment, completion);
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return transfers.transfer(true, handle, buffer, offset, 0, attachment, completion);
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return transfers.vectored(false, handle, VectorChecks.readVector(vector), offset, 0, attachment, completion);
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        return transfers.vectored(true, handle, VectorChecks.vector(vector), offset, 0, attachment, completion);
    }

    @Override
    public <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.fsync(handle, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.fsync(r.handle, r.attachment, r.completion, r.token),
                handle, null, 0, null, attachment, completion);
    }

    @Override
    public <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                           AioCompletion<? super A> completion) {
        return fileSystem.openAt(directory, path, options, attachment, completion);
    }

    @Override
    public <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                         AioCompletion<? super A> completion) {
        return fileSystem.stat(directory, path, followLinks, into, attachment, completion);
    }

    @Override
    public <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion) {
        return fileSystem.fstat(handle, into, attachment, completion);
    }

    @Override
    public <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion) {
        return fileSystem.fdatasync(handle, attachment, completion);
    }

    @Override
    public <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion) {
        return fileSystem.ftruncate(handle, length, attachment, completion);
    }

    @Override
    public <A> long fallocate(int handle, long offset, long length, A attachment,
                              AioCompletion<? super A> completion) {
        return fileSystem.fallocate(handle, offset, length, attachment, completion);
    }

    @Override
    public <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                           AioCompletion<? super A> completion) {
        return fileSystem.unlink(directory, path, directoryEntry, attachment, completion);
    }

    @Override
    public <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                           AioCompletion<? super A> completion) {
        return fileSystem.rename(fromDirectory, from, toDirectory, to, attachment, completion);
    }

    @Override
    public <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion) {
        return fileSystem.mkdir(directory, path, mode, attachment, completion);
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
        ListenTarget target = new ListenTarget(address, Objects.requireNonNull(options, "options"));
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.listen(target, backlog, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.listen((ListenTarget) r.argument, (int) r.value,
                r.attachment, r.completion, r.token), -1, null, backlog, target, attachment, completion);
    }

    @Override
    public <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion) {
        return transfers.accept(listenHandle, 0, attachment, completion);
    }

    @Override
    public <A> long connect(SocketAddress address, A attachment, AioCompletion<? super A> completion) {
        return transfers.connect(address, 0, attachment, completion);
    }

    // ------------------------------------------------------------------------------------------ deadlines

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                         AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return transfers.transfer(false, handle, buffer, offset, timeoutNanos, attachment, completion);
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return transfers.transfer(true, handle, buffer, offset, timeoutNanos, attachment, completion);
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return transfers.vectored(false, handle, VectorChecks.readVector(vector), offset, timeoutNanos, attachment,
                completion);
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                           AioCompletion<? super A> completion) {
        DeadlineChecks.timeout(timeoutNanos);
        return transfers.vectored(true, handle, VectorChecks.vector(vector), offset, timeoutNanos, attachment,
                completion);
    }

    @Override
    public <A> long accept(int listenHandle, long timeoutNanos, A attachment, AioCompletion<? super A> completion) {
        return transfers.accept(listenHandle, DeadlineChecks.timeout(timeoutNanos), attachment, completion);
    }

    @Override
    public <A> long connect(SocketAddress address, long timeoutNanos, A attachment,
                            AioCompletion<? super A> completion) {
        return transfers.connect(address, DeadlineChecks.timeout(timeoutNanos), attachment, completion);
    }

    @Override
    public <A> long close(int handle, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.close(handle, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.close(r.handle, r.attachment, r.completion, r.token),
                handle, null, 0, null, attachment, completion);
    }

    @Override
    public <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion) {
        Checks.eventfdInitialValue(initialValue);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.eventfd(initialValue, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.eventfd(r.value, r.attachment, r.completion, r.token),
                -1, null, initialValue, null, attachment, completion);
    }

    @Override
    public boolean signal(int eventfdHandle, long n) {
        Checks.signalAmount(n);
        FdTable.Entry e = fds.get(eventfdHandle);
        if (e == null || e.kind != FdTable.EVENTFD || !e.enter()) {
            return false;
        }
        try {
            // Non-blocking eventfd: a write that would pass 0xfffffffffffffffe fails with EAGAIN instead of waiting.
            return LibC.eventfdWrite(e.fd, n) == 0;
        } finally {
            e.exit();
        }
    }

    @Override
    public <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion) {
        Checks.timeout(nanos);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.timeout(nanos, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.timeout(r.value, r.attachment, r.completion, r.token),
                -1, null, nanos, null, attachment, completion);
    }

    @Override
    public void cancel(long token) {
        if (receives.owns(token)) {
            receives.cancel(token);
            return;
        }
        if (token == 0 || loop.isClosing()) {
            return;
        }
        if (loop.onLoop() && token > 0) {
            ops.cancel(token);
            return;
        }
        loop.inbox().post(new CancelRequest(token), false);
    }

    @Override
    public <A> long receiveChunks(int handle, A attachment, AioChunkHandler<? super A> handler) {
        return receives.start(handle, attachment, handler);
    }

    @Override
    public <A> long acceptStream(int listenHandle, A attachment, AioAcceptHandler<? super A> handler) {
        return receives.startAccepting(listenHandle, attachment, handler);
    }

    @Override
    public void releaseChunk(long chunk) {
        receives.release(chunk);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkOpen();
        if (loop.onLoop()) {
            loop.execute(task);
            return;
        }
        loop.inbox().post(task, true);
    }

    @Override
    public boolean inLoop() {
        return loop.onLoop();
    }

    @Override
    public SocketAddress localAddress(int handle) throws IOException {
        return socketCalls.localAddress(handle);
    }

    @Override
    public <A> long shutdown(int handle, AioShutdown how, A attachment, AioCompletion<? super A> completion) {
        Objects.requireNonNull(how, "how");
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.sockets().shutdown(handle, how, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.sockets().shutdown(r.handle, (AioShutdown) r.argument, r.attachment,
                r.completion, r.token), handle, null, 0, how, attachment, completion);
    }

    @Override
    public <A> long openDatagram(InetSocketAddress bind, InetSocketAddress connectTo, A attachment,
                                 AioCompletion<? super A> completion) {
        return datagrams.open(bind, connectTo, attachment, completion);
    }

    @Override
    public <A> long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, A attachment,
                           AioCompletion<? super A> completion) {
        return datagrams.sendTo(handle, buffer, target, attachment, completion);
    }

    @Override
    public <A> long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos,
                            A attachment, AioCompletion<? super A> completion) {
        return datagrams.receive(handle, buffer, sender, timeoutNanos, attachment, completion);
    }

    @Override
    public <A> long sendFile(int socketHandle, int fileHandle, long offset, long length, A attachment,
                             AioCompletion<? super A> completion) {
        SendFileChecks.range(offset, length);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.sendFiles().sendFile(socketHandle, fileHandle, offset, length, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.sendFiles().sendFile(r.handle, (RingSendFiles.Range) r.argument, r.attachment,
                r.completion, r.token), socketHandle, null, 0, new RingSendFiles.Range(fileHandle, offset, length),
                attachment, completion);
    }

    @Override
    public void setSocketOption(int handle, AioSocketOption option, int value) throws IOException {
        socketCalls.set(handle, option, value);
    }

    @Override
    public int socketOption(int handle, AioSocketOption option) throws IOException {
        return socketCalls.get(handle, option);
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        return socketCalls.remoteAddress(handle);
    }

    @Override
    public int fileDescriptor(int handle) throws AioException {
        return socketCalls.fileDescriptor(handle);
    }

    @Override
    public AioBufferPool buffers() {
        return loop.resources().pool();
    }

    @Override
    public int runOnce(long timeoutNanos) {
        return loop.runOnce(timeoutNanos);
    }

    @Override
    public int notificationFd() {
        return loop.wakeup().notificationFd();
    }

    @Override
    public void close() {
        loop.close();
        stats.unregister();
    }

    @Override
    public AioStats stats() {
        return stats.snapshot();
    }

    // =============================================================================================== test hooks

    /** For tests: waits with a timer op rather than a timeout argument, as on kernels before 5.11. */
    void pretendNoExtArg() {
        loop.driver().pretendNoExtArg();
    }

    /**
     * For tests, on the loop: close will not cancel the op of {@code token} (as if the kernel could not cancel it in
     * time), and cancels the others one at a time.
     */
    void pretendUncancellable(long token) {
        loop.handles().pretendUncancellable(ops.slotOf(token));
    }

    /** For tests: cancels one op at a time, as on kernels before 5.19. */
    void pretendNoCancelKeys() {
        loop.handles().pretendNoCancelKeys();
    }

    /** For tests: behaves as if the kernel lacked an opcode. Before the first submission that would use it. */
    void pretendUnsupported(int opcode) {
        ops.pretendUnsupported(opcode);
    }

    /** For tests: the opcodes the kernel has (as the probe found them, less those pretended unsupported). */
    OpcodeSupport supportedOpcodes() {
        return ops.supportedOpcodes();
    }

    /** For tests, after a read's completion: whether the next recv on {@code handle} arms poll first. */
    boolean recvPollsFirst(int handle) {
        return ops.recvPollsFirst(handle);
    }

    /** For tests: the loop's deadlines, to be read on the loop. */
    RingDeadlines deadlines() {
        return ops.deadlines();
    }
}
