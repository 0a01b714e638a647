package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioVector;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Adapter-specific rules beyond the conformance suite: handle scoping, opcode fallbacks, stream offsets. */
@Timeout(60)
class UringEdgeCaseTest {

    private UringAioOperations ops;
    private Arena arena;

    @BeforeEach
    void open() {
        ops = UringAioOperations.open(AioConfig.builder().buffers(4, 4096).build());
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() {
        ops.close();
        arena.close();
    }

    @Test
    void standardStreamsAndForeignDescriptorsAreNotHandles() {
        MemorySegment buffer = arena.allocate(8);
        for (int fd : new int[]{0, 1, 2, ops.notificationFd(), 1000}) {
            Results r = new Results();
            ops.write(fd, buffer, -1, null, r);
            assertThat(r.await()).as("write to fd %d", fd).isEqualTo(-AioErrno.EBADF);
        }
        assertThat(ops.signal(0, 1)).isFalse();
    }

    @Test
    void missingVectorOpcodesCompleteWithNotSupported(@TempDir Path dir) throws Exception {
        ops.pretendUnsupported(UringLayout.OP_READV);
        ops.pretendUnsupported(UringLayout.OP_WRITEV);
        Path file = dir.resolve("v");
        java.nio.file.Files.writeString(file, "vector");
        Results o = new Results();
        ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, o);
        int fd = o.await();
        AioVector v = AioVector.allocate(arena, 1).add(arena.allocate(4));
        Results r = new Results();
        ops.readv(fd, v, 0, null, r);
        assertThat(r.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
        Results w = new Results();
        ops.writev(fd, v, 0, null, w);
        assertThat(w.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
    }

    @Test
    void aPositionOnASocketOrEventfdIsAnIllegalSeek() {
        Results ev = new Results();
        ops.eventfd(0, null, ev);
        int fd = ev.await();
        Results r = new Results();
        ops.read(fd, arena.allocate(8), 0, null, r);
        assertThat(r.await()).isEqualTo(-AioErrno.ESPIPE);
    }

    @Test
    void missingSocketOpcodesCompleteWithNotSupported() throws Exception {
        ops.pretendUnsupported(UringLayout.OP_ACCEPT);
        ops.pretendUnsupported(UringLayout.OP_CONNECT);
        Results l = new Results();
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, null, l);
        int listener = l.await();
        Results a = new Results();
        ops.accept(listener, null, a);
        assertThat(a.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
        Results c = new Results();
        ops.connect(ops.localAddress(listener), null, c);
        assertThat(c.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
    }

    @Test
    void missingDatagramOpcodesCompleteWithNotSupported() throws Exception {
        Results d = new Results();
        ops.openDatagram(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, d);
        int socket = d.await();
        AioSocketAddress self = AioSocketAddress.of(arena, (java.net.InetSocketAddress) ops.localAddress(socket));
        ops.pretendUnsupported(UringLayout.OP_TIMEOUT);
        Results timed = new Results();
        ops.receive(socket, arena.allocate(8), null, TimeUnit.SECONDS.toNanos(1), null, timed);
        assertThat(timed.await()).as("a deadline without TIMEOUT").isEqualTo(-AioErrno.EOPNOTSUPP);
        ops.pretendUnsupported(UringLayout.OP_SENDMSG);
        ops.pretendUnsupported(UringLayout.OP_RECVMSG);
        Results s = new Results();
        ops.sendTo(socket, arena.allocate(8), self, null, s);
        assertThat(s.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
        Results r = new Results();
        ops.receive(socket, arena.allocate(8), null, 0, null, r);
        assertThat(r.await()).isEqualTo(-AioErrno.EOPNOTSUPP);
    }

    @Test
    void socketsFallBackToReadAndWriteWithoutSendAndRecv() throws Exception {
        ops.pretendUnsupported(UringLayout.OP_SEND);
        ops.pretendUnsupported(UringLayout.OP_RECV);
        int[] pair = connectedPair();
        send(pair[0], "fallback");
        MemorySegment in = arena.allocate(16);
        assertThat(read(pair[1], in)).isEqualTo(8);
        assertThat(in.getString(0, java.nio.charset.StandardCharsets.US_ASCII).substring(0, 8)).isEqualTo("fallback");
    }

    @Test
    void aRecvAfterOneThatEmptiedTheSocketPollsFirstAndStillGetsItsData() throws Exception {
        int[] pair = connectedPair();
        int client = pair[0];
        int server = pair[1];
        MemorySegment in = arena.allocate(16);
        assertThat(ops.recvPollsFirst(server)).as("nothing known yet").isFalse();

        // Part of the data: the socket stays non-empty and the next recv tries at once.
        send(client, "0123456789");
        assertThat(read(server, in.asSlice(0, 4))).isEqualTo(4);
        assertThat(ops.recvPollsFirst(server)).isFalse();
        assertThat(read(server, in)).isEqualTo(6);
        assertThat(ops.recvPollsFirst(server)).as("the socket was emptied").isTrue();

        // Poll first, with data that arrived before the recv was submitted.
        send(client, "ab");
        assertThat(read(server, in)).isEqualTo(2);
        assertThat(in.getString(0, java.nio.charset.StandardCharsets.US_ASCII).substring(0, 2)).isEqualTo("ab");

        // Poll first, with data that arrives after: the recv waits for it.
        Results r = new Results();
        ops.read(server, in, -1, null, r);
        send(client, "xyz");
        assertThat(r.await()).isEqualTo(3);
        assertThat(in.getString(0, java.nio.charset.StandardCharsets.US_ASCII).substring(0, 3)).isEqualTo("xyz");

        // The end of the stream still reads as 0.
        Results closed = new Results();
        ops.close(client, null, closed);
        assertThat(closed.await()).isZero();
        assertThat(read(server, in)).isZero();
    }

    /** A loopback connection made on this ring: {client, server}. */
    private int[] connectedPair() throws java.io.IOException {
        Results l = new Results();
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, null, l);
        int listener = l.await();
        Results a = new Results();
        ops.accept(listener, null, a);
        Results c = new Results();
        ops.connect(ops.localAddress(listener), null, c);
        return new int[]{c.await(), a.await()};
    }

    private void send(int handle, String text) {
        MemorySegment out = arena.allocateFrom(text, java.nio.charset.StandardCharsets.US_ASCII);
        Results w = new Results();
        ops.write(handle, out.asSlice(0, text.length()), -1, null, w);
        assertThat(w.await()).isEqualTo(text.length());
    }

    private int read(int handle, MemorySegment buffer) {
        Results r = new Results();
        ops.read(handle, buffer, -1, null, r);
        return r.await();
    }

    @Test
    void withoutFixedOpcodesPoolBuffersUsePlainReads(@TempDir Path dir) throws Exception {
        UringAioOperations plain = UringAioOperations.open(AioConfig.builder().buffers(2, 4096).build());
        try {
            plain.pretendUnsupported(UringLayout.OP_READ_FIXED);
            Path file = dir.resolve("plain");
            java.nio.file.Files.writeString(file, "pooled");
            Results o = new Results();
            plain.open(file, EnumSet.of(AioOpenOption.READ), null, o);
            int fd = o.await();
            MemorySegment buffer = plain.buffers().acquire();
            Results r = new Results();
            plain.read(fd, buffer, 0, null, r);
            assertThat(r.await()).isEqualTo(6);
        } finally {
            plain.close();
        }
    }

    @Test
    void aCancelFromAnotherThreadOfATokenGivenToAnotherThreadTakesEffect() throws Exception {
        AtomicInteger result = new AtomicInteger(1);
        CountDownLatch done = new CountDownLatch(1);
        long[] token = new long[1];
        Thread submitter = new Thread(() -> token[0] = ops.timeout(60_000_000_000L, null, (r, a) -> {
            result.set(r);
            done.countDown();
        }));
        submitter.start();
        submitter.join();
        Thread canceller = new Thread(() -> ops.cancel(token[0]));
        canceller.start();
        canceller.join();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    void closingFromInsideACompletionFinishesEverythingOnce() throws Exception {
        UringAioOperations own = UringAioOperations.open(AioConfig.defaults());
        Results pending = new Results();
        own.timeout(60_000_000_000L, null, pending);
        CountDownLatch closed = new CountDownLatch(1);
        own.timeout(0, null, (r, a) -> {
            own.close();
            closed.countDown();
        });
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
        own.close();
    }

    @Test
    void runOnceFromInsideTheLoopItDrivesIsRefused() {
        AioConfig hosted = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        try (UringAioOperations host = UringAioOperations.open(hosted)) {
            AtomicInteger refused = new AtomicInteger();
            host.execute(() -> {
                try {
                    host.runOnce(0);
                } catch (IllegalStateException expected) {
                    refused.incrementAndGet();
                }
            });
            host.runOnce(0);
            assertThat(refused.get()).isEqualTo(1);
        }
    }

    @Test
    void onlyAHostDrivenInstanceHasANotificationFd() {
        assertThat(ops.notificationFd()).isEqualTo(-1);
        assertThat(ops.supports(dev.aioops.spi.AioCapability.NOTIFICATION_FD)).isFalse();
    }

    @Test
    void kernelWorkersAreCappedForTheLoopThread() throws Exception {
        try (UringAioOperations capped = UringAioOperations.open(AioConfig.builder().maxKernelWorkers(3).build())) {
            java.util.concurrent.CompletableFuture<int[]> limits = new java.util.concurrent.CompletableFuture<>();
            // 0 leaves the caps unchanged and reads them back.
            capped.execute(() -> limits.complete(capped.loop().resources().limitKernelWorkers(0)));
            assertThat(limits.get(30, TimeUnit.SECONDS)).containsExactly(3, 3);
        }
    }

    @Test
    void ipv6ListenConnectAndLocalAddress() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Results l = new Results();
        ops.listen(new InetSocketAddress(v6, 0), 4, null, l);
        int listener = l.await();
        org.junit.jupiter.api.Assumptions.assumeTrue(listener != -AioErrno.EADDRNOTAVAIL, "no IPv6 loopback here");
        assertThat(listener).isPositive();
        InetSocketAddress bound = (InetSocketAddress) ops.localAddress(listener);
        assertThat(bound.getAddress()).isEqualTo(v6);
        assertThat(bound.getPort()).isPositive();
        Results a = new Results();
        ops.accept(listener, null, a);
        Results c = new Results();
        ops.connect(bound, null, c);
        int client = c.await();
        assertThat(client).isPositive();
        assertThat(a.await()).isPositive();
        assertThat(((InetSocketAddress) ops.localAddress(client)).getAddress()).isEqualTo(v6);
    }

    @Test
    void aBlockingRunOnceRunsTheTaskThatWokeIt() throws Exception {
        AioConfig hosted = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        try (UringAioOperations host = UringAioOperations.open(hosted)) {
            host.runOnce(0);
            AtomicInteger ran = new AtomicInteger();
            Thread producer = new Thread(() -> host.execute(ran::incrementAndGet));
            producer.start();
            // One call, without limit: it must not return before the task ran.
            int n = host.runOnce(-1);
            while (n == 0) {
                n = host.runOnce(-1); // a spurious wake-up is allowed, but the task must run in the call that wakes
            }
            assertThat(ran.get()).isEqualTo(1);
            producer.join();
        }
    }
}
