package dev.aioops.epoll;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.tck.AioCompletionRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What the epoll adapter does beyond the TCK: its capabilities, configuration, allocation and close edges. */
class EpollAdapterTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    private Arena arena;
    private AioOperations ops;

    @BeforeEach
    void open() {
        arena = Arena.ofShared();
        ops = new EpollAioProvider().open(AioConfig.builder().threadName("epoll-under-test").buffers(4, 4096)
                .build());
    }

    @AfterEach
    void close() {
        ops.close();
        arena.close();
    }

    private int call(java.util.function.Function<AioCompletion<Object>, Long> submission) {
        AioCompletionRecorder<Object> r = new AioCompletionRecorder<>(ops);
        submission.apply(r);
        return r.await();
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndChosenByAio() {
        AioProvider provider = Aio.provider("epoll").orElseThrow();
        assertThat(provider).isInstanceOf(EpollAioProvider.class);
        assertThat(provider.priority()).isEqualTo(200);
        assertThat(provider.isAvailable()).isTrue();
        assertThat(provider.unavailabilityCause()).isNull();
        assertThat(Aio.providers()).anyMatch(p -> p instanceof EpollAioProvider);
    }

    @Test
    void capabilitiesAreWhatTheAdapterReallyDoes() {
        assertThat(ops.adapterName()).isEqualTo("epoll");
        // openat2 is in every kernel this machine runs (5.6 and later).
        assertThat(ops.capabilities()).containsExactlyInAnyOrder(AioCapability.HOST_DRIVEN, AioCapability.DIRECT_IO,
                AioCapability.CONFINED_OPEN, AioCapability.LISTENER_SOCKET_OPTIONS, AioCapability.UNIX_HALF_CLOSE,
                AioCapability.REUSE_PORT);
        assertThat(ops.notificationFd()).isEqualTo(-1);
    }

    @Test
    @Timeout(60)
    void theLoopThreadIsNamedAndDaemonAsConfigured() throws InterruptedException {
        AtomicReference<Thread> loop = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        ops.execute(() -> {
            loop.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.get().getName()).isEqualTo("epoll-under-test");
        assertThat(loop.get().isDaemon()).isTrue();
    }

    @Test
    @Timeout(60)
    void submissionsOnTheLoopAllocateNothingOnceWarm() throws InterruptedException {
        long allocated = loopAllocation(20_000, next -> ops.timeout(0, null, next));
        // Selector turns may allocate a little inside the JDK; the adapter itself adds nothing per operation.
        assertThat(allocated).as("bytes allocated on the loop for 20000 timeouts").isLessThan(20_000 * 8L);
    }

    @Test
    @Timeout(60)
    void eventfdReadsOnTheLoopAllocateNothingOnceWarm() throws InterruptedException {
        int efd = call(c -> ops.eventfd(0, null, c));
        MemorySegment counter = arena.allocate(8);
        long allocated = loopAllocation(20_000, next -> {
            ops.read(efd, counter, AioOperations.STREAM, null, next);
            ops.signal(efd, 1);
        });
        assertThat(allocated).as("bytes allocated on the loop for 20000 eventfd reads").isLessThan(20_000 * 8L);
    }

    /**
     * Chains operations on the loop, each submitted by {@code submit} from the previous one's completion, and
     * returns the bytes the loop thread allocated over {@code measured} of them after as many warm-up ones.
     */
    private long loopAllocation(int measured, Consumer<AioCompletion<Object>> submit) throws InterruptedException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong allocated = new AtomicLong(-1);
        CountDownLatch done = new CountDownLatch(1);
        AioCompletion<Object> chain = new AioCompletion<>() {
            private int count;
            private long start;

            @Override
            public void completed(int result, Object attachment) {
                count++;
                if (count == measured) {
                    start = threads.getCurrentThreadAllocatedBytes();
                }
                if (count == 2 * measured) {
                    allocated.set(threads.getCurrentThreadAllocatedBytes() - start);
                    done.countDown();
                    return;
                }
                submit.accept(this);
            }
        };
        ops.execute(() -> submit.accept(chain));
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        return allocated.get();
    }

    @Test
    @Timeout(60)
    void aStaleTokenDoesNotCancelTheOperationThatReusedItsRecord() {
        AtomicLong staleToken = new AtomicLong();
        AioCompletionRecorder<Object> fresh = new AioCompletionRecorder<>(ops);
        AtomicLong freshToken = new AtomicLong();
        CountDownLatch submitted = new CountDownLatch(1);
        ops.execute(() -> staleToken.set(ops.timeout(0, null, (r, a) -> {
            // The first timeout's record is free again: this submission may reuse it.
            freshToken.set(ops.timeout(TimeUnit.MILLISECONDS.toNanos(50), null, fresh));
            ops.cancel(staleToken.get());
            submitted.countDown();
        })));
        assertThat(fresh.await()).isZero();
        assertThat(freshToken.get()).isNotEqualTo(staleToken.get());
    }

    @Test
    @Timeout(60)
    void aClosedHandleStaysUnknownAfterItsSlotIsReused() throws IOException {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        int first = call(c -> ops.open(file, Set.of(), null, c));
        assertThat(call(c -> ops.close(first, null, c))).isZero();
        int second = call(c -> ops.open(file, Set.of(), null, c));
        assertThat(second).isNotEqualTo(first);
        assertThat(call(c -> ops.read(first, arena.allocate(1), 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(second, arena.allocate(1), 0, null, c))).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void runOnceFromInsideAHostDrivenTurnIsRefused() {
        try (AioOperations hosted = new EpollAioProvider().open(AioConfig.builder()
                .threading(AioConfig.Threading.HOST_DRIVEN).build())) {
            AtomicReference<Throwable> nested = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            hosted.execute(() -> {
                try {
                    hosted.runOnce(0);
                } catch (Throwable e) {
                    nested.set(e);
                }
                ran.countDown();
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ran.getCount() > 0 && System.nanoTime() < deadline) {
                hosted.runOnce(TimeUnit.MILLISECONDS.toNanos(100));
            }
            assertThat(nested.get()).isInstanceOf(IllegalStateException.class);
            assertThat(hosted.runOnce(0)).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aHandleOfAnotherInstanceIsUnknownHere() {
        try (AioOperations other = new EpollAioProvider().open(AioConfig.defaults())) {
            AioCompletionRecorder<Object> created = new AioCompletionRecorder<>(other);
            other.eventfd(1, null, created);
            int foreign = created.await();
            int own = call(c -> ops.eventfd(1, null, c));
            assertThat(foreign).isNotEqualTo(own);
            assertThat(call(c -> ops.read(foreign, arena.allocate(8), AioOperations.STREAM, null, c)))
                    .isEqualTo(-AioErrno.EBADF);
            assertThat(ops.signal(foreign, 1)).isFalse();
        }
    }

    @Test
    @Timeout(60)
    void readWriteAppendIsEmulatedSinceFileChannelRefusesIt() throws IOException {
        Path file = dir.resolve("rwa");
        Files.writeString(file, "start-");
        int h = call(c -> ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE, AioOpenOption.APPEND),
                null, c));
        assertThat(h).isGreaterThanOrEqualTo(0);
        MemorySegment end = arena.allocate(3);
        end.copyFrom(MemorySegment.ofArray("end".getBytes(StandardCharsets.UTF_8)));
        assertThat(call(c -> ops.write(h, end, 0, null, c))).isEqualTo(3);
        MemorySegment back = arena.allocate(9);
        assertThat(call(c -> ops.read(h, back, 0, null, c))).isEqualTo(9);
        assertThat(new String(back.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)).isEqualTo("start-end");
    }

    @Test
    @Timeout(60)
    void misalignedDirectReadsGiveEinval() throws IOException {
        Path file = dir.resolve("direct");
        Files.write(file, new byte[8192]);
        int h = call(c -> ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT), null, c));
        assertThat(h).as(AioCompletionRecorder.describe(h)).isGreaterThanOrEqualTo(0);
        MemorySegment aligned = arena.allocate(8192, 4096);
        assertThat(call(c -> ops.read(h, aligned.asSlice(1, 4096), 0, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.read(h, aligned.asSlice(0, 4096), 1, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.read(h, aligned.asSlice(0, 4096), 4096, null, c))).isEqualTo(4096);
    }

    @Test
    @Timeout(60)
    void anOpenStuckPastTheCloseTimeoutStaysPendingAndCompletesCancelledWhenItReturns() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        java.util.List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AioOperations stuck = new EpollAioProvider().open(AioConfig.builder().closeTimeout(Duration.ofMillis(200))
                .errorHandler(errors::add).build());
        AioCompletionRecorder<Object> open = new AioCompletionRecorder<>(stuck);
        try {
            // Opening a FIFO for reading blocks its pool thread until a writer comes.
            stuck.open(fifo, Set.of(AioOpenOption.READ), null, open);
            assertThat(awaitThreadBlockedInOpen()).as("a file thread blocked in open(2)").isTrue();
            long start = System.nanoTime();
            stuck.close();
            long took = System.nanoTime() - start;
            assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(20));
            assertThat(open.isDone()).as("an open still in its system call is not completed by close").isFalse();
            assertThat(errors).singleElement().isInstanceOf(dev.aioops.spi.AioCloseTimeoutException.class);
        } finally {
            // O_RDWR on a FIFO never blocks, and it lets the blocked reader's open return.
            try (var release = Files.newByteChannel(fifo, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE)) {
                assertThat(release.isOpen()).isTrue();
            }
            stuck.close();
        }
        // Once back, the open completes (on its pool thread) cancelled, and the file it opened is closed again.
        assertThat(open.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(open.calls()).isEqualTo(1);
    }

    private static boolean awaitThreadBlockedInOpen() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (var entry : Thread.getAllStackTraces().entrySet()) {
                if (entry.getKey().getName().contains("-file-")) {
                    for (StackTraceElement frame : entry.getValue()) {
                        if (frame.getClassName().equals("dev.aioops.linux.internal.FileCalls")
                                && frame.getMethodName().startsWith("openat")) {
                            return true;
                        }
                    }
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
