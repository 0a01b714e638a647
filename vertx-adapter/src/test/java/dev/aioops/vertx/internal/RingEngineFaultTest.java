package dev.aioops.vertx.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.uring.ring.UringLayout;
import io.netty.channel.uring.IoUringIoOps;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared-ring engine against faults injected at its one path to Netty's ring ({@link RingEngine#submitter}):
 * what reaches the ring field by field, a submission that throws, and cancels the kernel never acts on.
 */
class RingEngineFaultTest {

    private static final long WAIT_SECONDS = 20;

    private Vertx vertx;
    private Context context;
    private RingEngine engine;
    private final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final Arena arena = Arena.ofShared();

    @BeforeEach
    void setUp() {
        assumeTrue(Transport.IO_URING.available(), "io_uring transport unavailable");
        vertx = Vertx.builder().withTransport(Transport.IO_URING).build();
        context = ((VertxInternal) vertx).createEventLoopContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private RingEngine open(Duration closeTimeout) {
        AioConfig config = AioConfig.builder().closeTimeout(closeTimeout).errorHandler(reported::add).build();
        engine = new RingEngine(context, VertxOwnership.NONE, false, config, () -> { });
        return engine;
    }

    /** Runs {@code task} on the loop and waits for it. */
    private void onLoop(Runnable task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        engine.execute(() -> {
            task.run();
            done.countDown();
        });
        assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private static final class Result implements AioCompletion<Object> {
        final CompletableFuture<Integer> value = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Thread thread;

        @Override
        public void completed(int result, Object attachment) {
            calls.incrementAndGet();
            thread = Thread.currentThread();
            value.complete(result);
        }

        int await() throws Exception {
            return value.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private Result submit(Op.Kind kind, int handle, Object argument, long number) {
        Result r = new Result();
        engine.submit(engine.request(engine.newOperation(kind, null, r), handle, argument, number));
        return r;
    }

    private Result transfer(Op.Kind kind, int handle, MemorySegment buffer) {
        Result r = new Result();
        engine.submit(engine.transfer(engine.newOperation(kind, null, r), handle, buffer, -1));
        return r;
    }

    private static Object field(IoUringIoOps ops, String name) throws ReflectiveOperationException {
        var f = IoUringIoOps.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(ops);
    }

    private static byte opcode(IoUringIoOps ops) {
        try {
            return (byte) field(ops, "opcode");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyFieldOfTheEntryReachesItsPlaceInNettysOperation() throws Exception {
        MemorySegment sqe = arena.allocate(UringLayout.SQE_SIZE, 64);
        sqe.set(JAVA_BYTE, UringLayout.SQE_OPCODE, (byte) 22);
        sqe.set(JAVA_BYTE, UringLayout.SQE_FLAGS, (byte) 0x05);
        sqe.set(JAVA_SHORT, UringLayout.SQE_IOPRIO, (short) 3);
        sqe.set(JAVA_INT, UringLayout.SQE_FD, 42);
        sqe.set(JAVA_LONG, UringLayout.SQE_OFF, 4096L);
        sqe.set(JAVA_LONG, UringLayout.SQE_ADDR, 0x7f00_1234_5000L);
        sqe.set(JAVA_INT, UringLayout.SQE_LEN, 512);
        sqe.set(JAVA_INT, UringLayout.SQE_OP_FLAGS, 0x40);
        sqe.set(JAVA_SHORT, UringLayout.SQE_BUF_INDEX, (short) 7);
        sqe.set(JAVA_SHORT, UringLayout.SQE_PERSONALITY, (short) 9);
        sqe.set(JAVA_INT, UringLayout.SQE_FILE_INDEX, 11);
        sqe.set(JAVA_LONG, UringLayout.SQE_ADDR3, 13L);

        IoUringIoOps ops = RingSubmissions.toIoOps(sqe, 0x1234_5678_9abcL);

        assertThat(field(ops, "opcode")).isEqualTo((byte) 22);
        assertThat(field(ops, "flags")).isEqualTo((byte) 0x05);
        assertThat(field(ops, "ioPrio")).isEqualTo((short) 3);
        assertThat(field(ops, "fd")).isEqualTo(42);
        assertThat(field(ops, "union1")).as("off").isEqualTo(4096L);
        assertThat(field(ops, "union2")).as("addr").isEqualTo(0x7f00_1234_5000L);
        assertThat(field(ops, "len")).isEqualTo(512);
        assertThat(field(ops, "union3")).as("op flags").isEqualTo(0x40);
        assertThat(field(ops, "data")).as("user data").isEqualTo(0x1234_5678_9abcL);
        assertThat(field(ops, "union4")).as("buf_index").isEqualTo((short) 7);
        assertThat(field(ops, "personality")).as("personality").isEqualTo((short) 9);
        assertThat(field(ops, "union5")).as("file_index").isEqualTo(11);
        assertThat(field(ops, "union6")).as("addr3").isEqualTo(13L);
    }

    @Test
    @Timeout(60)
    void theEntryOfARealReadReachesTheRingWithItsBufferAndNoPersonalityOrFixedBuffer() throws Exception {
        open(Duration.ofSeconds(5));
        List<IoUringIoOps> seen = new CopyOnWriteArrayList<>();
        onLoop(() -> {
            RingSubmissions.Submitter real = engine.submitter;
            engine.submitter = ops -> {
                seen.add(ops);
                return real.submit(ops);
            };
        });
        int efd = submit(Op.Kind.EVENTFD, 0, null, 5).await();
        assertThat(efd).isPositive();
        MemorySegment buffer = arena.allocate(8, 8);
        assertThat(transfer(Op.Kind.READ, efd, buffer).await()).isEqualTo(8);
        assertThat(buffer.get(JAVA_LONG, 0)).isEqualTo(5L);

        IoUringIoOps read = seen.getFirst();
        assertThat(field(read, "opcode")).isEqualTo((byte) UringLayout.OP_READ);
        assertThat(field(read, "fd")).as("the descriptor, not the handle").isEqualTo(engine.fileDescriptor(efd));
        assertThat(field(read, "union2")).as("addr").isEqualTo(buffer.address());
        assertThat(field(read, "len")).isEqualTo(8);
        assertThat(field(read, "union4")).as("buf_index").isEqualTo((short) 0);
        assertThat(field(read, "personality")).isEqualTo((short) 0);
    }

    @Test
    @Timeout(60)
    void anAcceptedConnectionCostsNoGetsocknameUntilItsLocalAddressIsAsked() throws Exception {
        open(Duration.ofSeconds(5));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int listener = submit(Op.Kind.LISTEN, 0, new ListenRequest(new InetSocketAddress(loopback, 0),
                dev.aioops.spi.AioListenOptions.defaults()), 8).await();
        assertThat(listener).isPositive();
        int port = ((InetSocketAddress) engine.localAddress(listener)).getPort();
        Result accepted = submit(Op.Kind.ACCEPT, listener, null, 0);
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress(loopback, port))) {
            int connection = accepted.await();
            assertThat(connection).isPositive();
            assertThat(engine.descriptor(connection).localAddressKnown()).as("asked of the kernel at accept").isFalse();
            assertThat(engine.localAddress(connection)).isEqualTo(new InetSocketAddress(loopback, port));
            assertThat(engine.descriptor(connection).localAddressKnown()).isTrue();
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void theNettyOnTheClassPathHasEveryMethodTheSharedRingCalls() {
        assertThat(RingSubmissions.missingApi()).isNull();
    }

    @Test
    @Timeout(60)
    void aSubmitThatThrowsCompletesTheOperationAndLeavesTheHandleClosable() throws Exception {
        open(Duration.ofSeconds(30));
        int efd = submit(Op.Kind.EVENTFD, 0, null, 0).await();
        AtomicInteger failures = new AtomicInteger(1);
        onLoop(() -> {
            RingSubmissions.Submitter real = engine.submitter;
            engine.submitter = ops -> {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("injected: submission queue full and not flushable");
                }
                return real.submit(ops);
            };
        });
        Result read = transfer(Op.Kind.READ, efd, arena.allocate(8, 8));
        assertThat(read.await()).as("the failed read").isNegative();

        assertThat(submit(Op.Kind.CLOSE, efd, null, 0).await()).as("close(handle) after it").isZero();
        assertThat(engine.openHandles()).isZero();
        long start = System.nanoTime();
        engine.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("instance close, with a 30 s close timeout").isLessThan(5_000);
        assertThat(engine.isTerminated()).isTrue();
        assertThat(read.calls.get()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void anOperationTheKernelStillHoldsAfterTheCloseTimeoutIsReportedAndCompletesOnceWhenGivenBack()
            throws Exception {
        open(Duration.ofMillis(300));
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Result connected = submit(Op.Kind.CONNECT, 0, server.getLocalAddress(), 0);
            try (SocketChannel peer = server.accept()) {
                int handle = connected.await();
                assertThat(handle).isPositive();
                // The kernel "cannot cancel in time": the engine's cancels never reach it.
                onLoop(() -> {
                    RingSubmissions.Submitter real = engine.submitter;
                    engine.submitter = ops -> opcode(ops) == UringLayout.OP_ASYNC_CANCEL ? 1 : real.submit(ops);
                });
                MemorySegment buffer = arena.allocate(16);
                Result read = transfer(Op.Kind.READ, handle, buffer);
                onLoop(() -> { });

                engine.close();

                assertThat(engine.isTerminated()).as("close returned after its timeout").isTrue();
                assertThat(reported).hasSize(1);
                assertThat(reported.getFirst()).isInstanceOf(AioCloseTimeoutException.class);
                assertThat(((AioCloseTimeoutException) reported.getFirst()).stuck()).isEqualTo(1);
                assertThat(read.calls.get()).as("the held read is not completed by close").isZero();

                peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertThat(read.await()).as("the read, once the kernel gives it back").isEqualTo(3);
                assertThat(buffer.get(JAVA_BYTE, 2)).isEqualTo((byte) 3);
                assertThat(read.thread.getName()).contains("eventloop");
                assertThat(read.calls.get()).isEqualTo(1);
            }
        }
    }
}
