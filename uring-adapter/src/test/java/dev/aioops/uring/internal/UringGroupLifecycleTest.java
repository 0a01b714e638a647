package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link UringGroup}'s rings and their life: close with operations in flight on every member, {@code ATTACH_WQ}
 * and its refusal, the kernel worker cap counted for the group, and a message to a member that has closed.
 */
@Timeout(120)
class UringGroupLifecycleTest {

    @Test
    void closeCompletesWhatEveryMemberHasInFlightExactlyOnce() throws Exception {
        int size = 4;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Arena arena = Arena.ofShared()) {
            List<Socket> peers = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < size; i++) {
                        peers.add(server.accept()); // kept open and silent: the members' reads stay pending
                    }
                } catch (Exception ignored) {
                    // the server closed
                }
            });
            UringGroup group = UringGroup.open(AioConfig.defaults(), size, true, true, false);
            // Per member: a read on an idle socket submitted on its loop, one from this thread, and a timeout.
            int opsPerMember = 3;
            AtomicIntegerArray calls = new AtomicIntegerArray(size * opsPerMember);
            int[] results = new int[size * opsPerMember];
            CountDownLatch submitted = new CountDownLatch(size);
            for (int m = 0; m < size; m++) {
                AioOperations member = group.member(m);
                int base = m * opsPerMember;
                CompletableFuture<Integer> connected = new CompletableFuture<>();
                member.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), null,
                        (AioCompletion<Object>) (r, a) -> connected.complete(r));
                int handle = connected.get(10, TimeUnit.SECONDS);
                assertThat(handle).isGreaterThanOrEqualTo(0);
                member.execute(() -> {
                    member.read(handle, arena.allocate(64), -1, null, recorder(calls, results, base));
                    member.timeout(TimeUnit.SECONDS.toNanos(60), null, recorder(calls, results, base + 1));
                    submitted.countDown();
                });
                member.read(handle, arena.allocate(64), -1, null, recorder(calls, results, base + 2));
            }
            assertThat(submitted.await(10, TimeUnit.SECONDS)).isTrue();
            acceptor.join();
            group.close();
            for (int i = 0; i < calls.length(); i++) {
                assertThat(calls.get(i)).as("completions of op %d when close returned", i).isEqualTo(1);
                assertThat(results[i]).as("result of op %d", i).isEqualTo(-AioErrno.ECANCELED);
            }
            for (AioOperations member : group.members()) {
                assertThatThrownBy(() -> member.execute(() -> { })).isInstanceOf(IllegalStateException.class);
            }
            group.close(); // idempotent
            for (int i = 0; i < calls.length(); i++) {
                assertThat(calls.get(i)).isEqualTo(1);
            }
            for (Socket s : peers) {
                s.close();
            }
        }
    }

    private static AioCompletion<Object> recorder(AtomicIntegerArray calls, int[] results, int index) {
        return (r, a) -> {
            results[index] = r;
            calls.incrementAndGet(index);
        };
    }

    @Test
    void attachedSqPollRingsShareOneSubmissionThread() throws Exception {
        AioConfig config = AioConfig.builder().sqPoll(true).build();
        // SQ threads of rings closed by earlier tests exit on their own schedule: wait until they have gone.
        awaitNoSqThreads();
        int before = KernelThreads.count("iou-sqp-");
        try (UringGroup attached = UringGroup.open(config, 2, true, true, false)) {
            assertThat(attached.attached()).isTrue();
            assertThat(KernelThreads.count("iou-sqp-") - before).as("SQ threads of an attached group of 2")
                    .isEqualTo(1);
            crossMemberTaskRuns(attached);
        }
        awaitNoSqThreads();
        int between = KernelThreads.count("iou-sqp-");
        try (UringGroup independent = UringGroup.open(config, 2, false, true, false)) {
            assertThat(independent.attached()).isFalse();
            assertThat(KernelThreads.count("iou-sqp-") - between).as("SQ threads of an independent group of 2")
                    .isEqualTo(2);
        }
    }

    private static void awaitNoSqThreads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int spins = 0; KernelThreads.count("iou-sqp-") > 0 && System.nanoTime() - deadline < 0; spins++) {
            UringLoop.backOff(spins);
        }
    }

    @Test
    void theProviderOpensAGroupThatSharesItsRings() throws Exception {
        try (var group = new dev.aioops.uring.UringAioProvider().openGroup(AioConfig.defaults(), 2)) {
            assertThat(group).isInstanceOf(UringGroup.class);
            UringGroup uring = (UringGroup) group;
            assertThat(uring.attached()).as("ATTACH_WQ on Linux 6.18").isTrue();
            assertThat(uring.throughRing()).as("MSG_RING on Linux 6.18").isTrue();
            crossMemberTaskRuns(uring);
        }
    }

    @ParameterizedTest(name = "sqPoll {0}")
    @ValueSource(booleans = {false, true})
    void membersAttachedToMemberZeroOutliveItsClose(boolean sqPoll) throws Exception {
        try (UringGroup group = UringGroup.open(AioConfig.builder().sqPoll(sqPoll).build(), 2, true, true, false)) {
            assertThat(group.attached()).isTrue();
            group.member(0).close();
            // The attached ring keeps what it shares with member 0's (with SQPOLL, the SQ thread that submits for it).
            AioOperations last = group.member(1);
            CompletableFuture<Integer> fired = new CompletableFuture<>();
            last.timeout(1_000_000, null, (r, a) -> fired.complete(r));
            assertThat(fired.get(10, TimeUnit.SECONDS)).isZero();
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            last.execute(() -> ran.complete(last.inLoop()));
            assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRefusedAttachGivesIndependentRingsThatStillWork() throws Exception {
        try (UringGroup group = UringGroup.open(AioConfig.defaults(), 3, true, true, true)) {
            assertThat(group.attached()).isFalse();
            assertThat(group.throughRing()).isTrue();
            crossMemberTaskRuns(group);
        }
    }

    private static void crossMemberTaskRuns(UringGroup group) throws Exception {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        AioOperations last = group.member(group.size() - 1);
        group.member(0).execute(() -> last.execute(() -> ran.complete(last.inLoop())));
        assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theKernelWorkerCapHoldsForTheWholeGroup(@TempDir Path dir) throws Exception {
        int cap = 4;
        int size = 2;
        try (UringGroup group = UringGroup.open(AioConfig.builder().maxKernelWorkers(cap).build(), size, true,
                true, false); Arena arena = Arena.ofShared()) {
            String[] tids = new String[size];
            for (int m = 0; m < size; m++) {
                CompletableFuture<String> tid = new CompletableFuture<>();
                group.member(m).execute(() -> tid.complete(KernelThreads.currentTid()));
                tids[m] = tid.get(10, TimeUnit.SECONDS);
            }
            int[] peak = new int[size];
            int peakTotal = 0;
            CompletableFuture<?>[] loads = new CompletableFuture<?>[size];
            for (int m = 0; m < size; m++) {
                loads[m] = WriteLoad.start(group.member(m), dir.resolve("m" + m), arena, 16, 64 * 1024, 400);
            }
            while (!CompletableFuture.allOf(loads).isDone()) {
                Map<String, Integer> workers = KernelThreads.byOwner("iou-wrk-");
                int total = 0;
                for (int m = 0; m < size; m++) {
                    int n = workers.getOrDefault(tids[m], 0);
                    peak[m] = Math.max(peak[m], n);
                    total += n;
                }
                peakTotal = Math.max(peakTotal, total);
                Thread.onSpinWait();
            }
            CompletableFuture.allOf(loads).get();
            // Each member's loop thread has an io-wq of its own (named after its tid), capped at cap / size; without
            // the split a member alone reaches 3 or 4 workers under this load.
            for (int m = 0; m < size; m++) {
                assertThat(peak[m]).as("io-wq workers of member %d", m).isLessThanOrEqualTo(cap / size);
            }
            assertThat(peakTotal).as("io-wq workers of the group").isPositive().isLessThanOrEqualTo(cap);
        }
    }

    @Test
    void aMessageToAClosedMemberIsIgnored() throws Exception {
        UringGroup group = UringGroup.open(AioConfig.defaults(), 2, true, true, false);
        try {
            long eventfdBefore = group.eventfdWakeups(1);
            group.member(1).close();
            CompletableFuture<Boolean> sent = new CompletableFuture<>();
            AtomicInteger after = new AtomicInteger();
            group.member(0).execute(() -> sent.complete(group.messenger().member(1).wakeThroughRing()));
            assertThat(sent.get(10, TimeUnit.SECONDS)).isTrue();
            // The sender's loop goes on: its next turns submit the message and reap what comes back.
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Void> turn = new CompletableFuture<>();
                group.member(0).timeout(1_000_000, null, (r, a) -> {
                    after.incrementAndGet();
                    turn.complete(null);
                });
                turn.get(10, TimeUnit.SECONDS);
            }
            assertThat(after.get()).isEqualTo(3);
            int failure = group.messenger().member(0).lastFailure();
            assertThat(failure).isIn(0, -AioErrno.EBADF, -77, -130);
            assertThat(group.eventfdWakeups(1)).as("no eventfd write to the closed member").isEqualTo(eventfdBefore);
        } finally {
            group.close();
        }
    }

    /** Writes {@code count} blocks per file to {@code files} files, all in flight at once, on one member. */
    private static final class WriteLoad {
        static CompletableFuture<Void> start(AioOperations ops, Path prefix, Arena arena, int files, int block,
                                             int count) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ops.execute(() -> {
                AtomicInteger left = new AtomicInteger(files * count);
                MemorySegment buffer = arena.allocate(block, 4096);
                for (int f = 0; f < files; f++) {
                    ops.open(prefix.resolveSibling(prefix.getFileName() + "-" + f),
                            EnumSet.of(AioOpenOption.WRITE, AioOpenOption.CREATE), null, (fd, a) -> {
                                if (fd < 0) {
                                    done.completeExceptionally(new AssertionError("open: " + fd));
                                    return;
                                }
                                for (int i = 0; i < count; i++) {
                                    ops.write(fd, buffer, (long) i * block, null, (r, b) -> {
                                        if (r < 0) {
                                            done.completeExceptionally(new AssertionError("write: " + r));
                                        } else if (left.decrementAndGet() == 0) {
                                            done.complete(null);
                                        }
                                    });
                                }
                            });
                }
            });
            return done;
        }
    }
}
