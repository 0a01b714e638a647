package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The randomized mixed workload of {@link ExactlyOnceAtScaleContract}: tasks of several kinds, each a short chain
 * of submissions, started from foreign threads or (through {@code execute}) on the loop, continued in their
 * completions. Every submission is counted in a {@link SubmissionLedger}; every byte read is checked.
 *
 * <p>Stray cancels (of recent, bogus or another instance's tokens) may hit any live operation, so every chain takes
 * {@code -ECANCELED} as "nothing happened" (as the contract says) and submits again where it needs the data.
 */
final class ScaleWorkload {

    static final int READ_SIZE = 4096;
    static final int SLOT = 8192;
    static final int MAX_ECHO = 16 * 1024;
    static final int FILE_SLOTS = 32;
    static final int READ_BUFFERS = 64;
    static final int KITS = 16;
    private static final int CHURN_READS = 4;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int MAX_FAILURES_KEPT = 20;

    private final AioOperations ops;
    private final ScaleMix.Setup setup;
    private final MemorySegment staticImage;
    private final SubmissionLedger ledger = new SubmissionLedger();
    private final Semaphore permits;
    private final int maxInFlight;
    private final Queue<MemorySegment> readBuffers = new ConcurrentLinkedQueue<>();
    private final Queue<ScaleMix.Slot> slots = new ConcurrentLinkedQueue<>();
    private final Queue<ScaleMix.Pair> pairs = new ConcurrentLinkedQueue<>();
    private final Queue<ScaleMix.Efd> eventfds = new ConcurrentLinkedQueue<>();
    private final Queue<MemorySegment[]> kits = new ConcurrentLinkedQueue<>();
    private final AtomicReferenceArray<ScaleMix.Issued> recent = new AtomicReferenceArray<>(256);
    private final LongAdder[] startedByKind = new LongAdder[ScaleMix.Kind.values().length];
    private final LongAdder[] endedByKind = new LongAdder[ScaleMix.Kind.values().length];
    private final LongAdder cancelledSeen = new LongAdder();
    private final LongAdder bytesVerified = new LongAdder();
    private final AtomicInteger failureCount = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    ScaleWorkload(AioOperations ops, Arena arena, ScaleMix.Setup setup, int maxInFlight) {
        this.ops = ops;
        this.setup = setup;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.staticImage = MemorySegment.ofArray(setup.staticContent());
        for (int i = 0; i < ScaleMix.Kind.values().length; i++) {
            startedByKind[i] = new LongAdder();
            endedByKind[i] = new LongAdder();
        }
        for (int i = 0; i < READ_BUFFERS; i++) {
            readBuffers.add(arena.allocate(READ_SIZE));
        }
        for (int i = 0; i < FILE_SLOTS; i++) {
            slots.add(new ScaleMix.Slot(i, arena.allocate(SLOT), arena.allocate(SLOT)));
        }
        for (int[] p : setup.pairs()) {
            pairs.add(new ScaleMix.Pair(p[0], p[1], arena.allocate(MAX_ECHO), arena.allocate(MAX_ECHO),
                    arena.allocate(MAX_ECHO)));
        }
        for (int h : setup.eventfds()) {
            eventfds.add(new ScaleMix.Efd(h, arena.allocate(8)));
        }
        for (int i = 0; i < KITS; i++) {
            MemorySegment[] kit = new MemorySegment[CHURN_READS];
            for (int b = 0; b < CHURN_READS; b++) {
                kit[b] = arena.allocate(READ_SIZE);
            }
            kits.add(kit);
        }
    }

    SubmissionLedger ledger() {
        return ledger;
    }

    /**
     * Foreign thread: starts tasks until the ledger holds {@code target} submissions.
     *
     * @param random   this thread's random source
     * @param target   how many submissions the whole run makes
     * @param deadline when to give up waiting for room ({@link System#nanoTime()})
     * @return {@code false} if it gave up waiting for a free task slot
     */
    boolean drive(SplittableRandom random, int target, long deadline) throws InterruptedException {
        while (ledger.issued() < target && failureCount.get() < MAX_FAILURES_KEPT) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
            Task task = new Task(ScaleMix.pick(random), random.split());
            if (random.nextInt(3) == 0) {
                try {
                    ops.execute(task::start);
                } catch (RuntimeException e) {
                    task.abandon("execute refused: " + e);
                }
            } else {
                task.start();
            }
        }
        return true;
    }

    /**
     * Waits until every task started has ended.
     *
     * @param deadline when to stop waiting ({@link System#nanoTime()})
     * @return {@code true} if all ended in time
     */
    boolean awaitQuiet(long deadline) throws InterruptedException {
        if (!permits.tryAcquire(maxInFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        permits.release(maxInFlight);
        return true;
    }

    /** From now on completions come from the instance's close: their errors are expected, not failures. */
    void closing() {
        closing = true;
    }

    int failureCount() {
        return failureCount.get();
    }

    List<String> failures() {
        return new ArrayList<>(failures);
    }

    long bytesVerified() {
        return bytesVerified.sum();
    }

    long cancelledSeen() {
        return cancelledSeen.sum();
    }

    /** Tasks per kind, and those of each kind that never ended. */
    String census() {
        StringBuilder b = new StringBuilder();
        for (ScaleMix.Kind k : ScaleMix.Kind.values()) {
            long s = startedByKind[k.ordinal()].sum();
            long open = s - endedByKind[k.ordinal()].sum();
            b.append(b.isEmpty() ? "" : ", ").append(k.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(s).append(open == 0 ? "" : " (" + open + " unfinished)");
        }
        return b.toString();
    }

    private void fail(String what) {
        if (closing) {
            return;
        }
        if (failureCount.incrementAndGet() <= MAX_FAILURES_KEPT) {
            failures.add(what);
        }
    }

    private void expect(boolean ok, String what, int result) {
        if (!ok) {
            fail(what + ": unexpected result " + result + " (" + AioErrno.name(result) + ")");
        }
    }

    /** Whether a result is -ECANCELED, counting it. */
    private boolean cancelled(int result) {
        if (result == -AioErrno.ECANCELED) {
            cancelledSeen.increment();
            return true;
        }
        return false;
    }

    /** One submission, counted; {@code then} gets its result, once, unless it came twice. */
    private long submit(Task task, Submission submission, IntConsumer then) {
        int id = ledger.issue();
        AioCompletion<Object> completion = (result, ignored) -> {
            if (!ledger.complete(id, ops.inLoop())) {
                fail(task.kind + ": submission " + id + " completed again, with " + result);
                return;
            }
            try {
                then.accept(result);
            } catch (Throwable e) {
                task.abandon(task.kind + ": its chain threw " + e);
            }
        };
        long token;
        try {
            token = submission.submit(completion);
        } catch (RuntimeException e) {
            // Refused at once (only expected once closing): never accepted, so never to complete.
            ledger.complete(id, true);
            task.abandon(task.kind + ": submission refused: " + e);
            return 0;
        }
        recent.set(id & (recent.length() - 1), new ScaleMix.Issued(id, token));
        return token;
    }

    /** A submitting call. */
    @FunctionalInterface
    private interface Submission {
        long submit(AioCompletion<Object> completion);
    }

    /** One task: its kind, its random source, how many of its chains are still running. */
    private final class Task {
        final ScaleMix.Kind kind;
        final SplittableRandom random;
        final AtomicInteger parts = new AtomicInteger(1);
        final AtomicBoolean ended = new AtomicBoolean();
        Runnable giveBack;

        Task(ScaleMix.Kind kind, SplittableRandom random) {
            this.kind = kind;
            this.random = random;
            startedByKind[kind.ordinal()].increment();
        }

        /** One of its chains is done; the last one ends the task and gives its resources back. */
        void part() {
            if (parts.decrementAndGet() == 0 && ended.compareAndSet(false, true)) {
                if (giveBack != null) {
                    giveBack.run();
                }
                endedByKind[kind.ordinal()].increment();
                permits.release();
            }
        }

        /** Ends it after a failure, keeping its resources out of use (operations may still use them). */
        void abandon(String why) {
            fail(why);
            if (ended.compareAndSet(false, true)) {
                endedByKind[kind.ordinal()].increment();
                permits.release();
            }
        }

        void start() {
            try {
                switch (kind) {
                    case TIMEOUT -> timeout();
                    case CANCEL_LIVE -> cancelLive();
                    case CANCEL_RECENT, CANCEL_FINISHED, CANCEL_BOGUS, CANCEL_FOREIGN -> strayCancel();
                    case FILE_READ -> withResource(readBuffers, this::fileRead);
                    case FILE_WRITE -> withResource(slots, this::fileWrite);
                    case ECHO -> withResource(pairs, this::echo);
                    case EVENTFD -> withResource(eventfds, this::eventfd);
                    case FILE_CHURN -> withResource(kits, this::fileChurn);
                    case SOCKET_CHURN -> withResource(kits, this::socketChurn);
                    case EVENTFD_CHURN -> withResource(kits, this::eventfdChurn);
                }
            } catch (RuntimeException e) {
                abandon(kind + ": start threw " + e);
            }
        }

        private <R> void withResource(Queue<R> pool, java.util.function.Consumer<R> body) {
            R r = pool.poll();
            if (r == null) {
                timeout();
                return;
            }
            giveBack = () -> pool.add(r);
            body.accept(r);
        }

        private void timeout() {
            long nanos = random.nextLong(500_000);
            submit(this, c -> ops.timeout(nanos, null, c), r -> {
                expect(r == 0 || cancelled(r), "timeout", r);
                part();
            });
        }

        private void cancelLive() {
            long token = submit(this, c -> ops.timeout(HOUR, null, c), r -> {
                expect(cancelled(r), "cancelled one-hour timeout", r);
                part();
            });
            if (random.nextBoolean()) {
                ops.cancel(token);
            } else {
                ops.execute(() -> ops.cancel(token));
            }
        }

        private void strayCancel() {
            long token = switch (kind) {
                case CANCEL_RECENT -> {
                    ScaleMix.Issued i = recent.get(random.nextInt(recent.length()));
                    yield i == null ? 0 : i.token();
                }
                case CANCEL_FINISHED -> {
                    ScaleMix.Issued i = recent.get(random.nextInt(recent.length()));
                    yield i != null && ledger.calls(i.id()) > 0 ? i.token() : -1;
                }
                case CANCEL_FOREIGN -> setup.foreignTokens()[random.nextInt(setup.foreignTokens().length)];
                default -> switch (random.nextInt(5)) {
                    case 0 -> 0L;
                    case 1 -> -1L - random.nextLong(Long.MAX_VALUE);
                    case 2 -> Long.MAX_VALUE;
                    case 3 -> Long.MIN_VALUE;
                    default -> (1L << 62) + random.nextLong(1L << 40);
                };
            };
            ops.cancel(token);
            part();
        }

        private void fileRead(MemorySegment buffer) {
            int length = 1 + random.nextInt(READ_SIZE);
            long offset = random.nextLong(setup.staticContent().length - length + 1);
            MemorySegment into = buffer.asSlice(0, length);
            submit(this, c -> ops.read(setup.staticFile(), into, offset, null, c), r -> {
                if (!cancelled(r)) {
                    expect(r == length, "file read of " + length + " at " + offset, r);
                    verify(into, offset, r, "file read");
                }
                part();
            });
        }

        private void verify(MemorySegment got, long offset, int length, String what) {
            if (length <= 0) {
                return;
            }
            long mismatch = MemorySegment.mismatch(got, 0, length, staticImage, offset, offset + length);
            if (mismatch >= 0) {
                fail(what + " at " + offset + ": byte " + mismatch + " differs from the file's");
            } else {
                bytesVerified.add(length);
            }
        }

        private void fileWrite(ScaleMix.Slot slot) {
            int length = 1 + random.nextInt(SLOT);
            MemorySegment data = slot.write().asSlice(0, length);
            ScaleMix.fill(data, random.nextInt());
            writeFile(slot, data, 0);
        }

        private void writeFile(ScaleMix.Slot slot, MemorySegment data, int done) {
            long base = (long) slot.index() * SLOT;
            submit(this, c -> ops.write(setup.scratchFile(), data.asSlice(done), base + done, null, c), r -> {
                if (cancelled(r)) {
                    part();                                    // nothing written: the slot keeps its old bytes
                } else if (r <= 0) {
                    expect(false, "file write", r);
                    part();
                } else if (done + r < data.byteSize()) {
                    writeFile(slot, data, done + r);
                } else {
                    readBack(slot, data, 0);
                }
            });
        }

        private void readBack(ScaleMix.Slot slot, MemorySegment data, int done) {
            long base = (long) slot.index() * SLOT;
            MemorySegment into = slot.read().asSlice(0, data.byteSize());
            submit(this, c -> ops.read(setup.scratchFile(), into.asSlice(done), base + done, null, c), r -> {
                if (cancelled(r)) {
                    readBack(slot, data, done);
                } else if (r <= 0) {
                    expect(false, "read back of a file write", r);
                    part();
                } else if (done + r < data.byteSize()) {
                    readBack(slot, data, done + r);
                } else {
                    long mismatch = into.mismatch(data);
                    if (mismatch >= 0) {
                        fail("read back of a file write of " + data.byteSize() + ": byte " + mismatch + " differs");
                    } else {
                        bytesVerified.add(data.byteSize());
                    }
                    part();
                }
            });
        }

        private void echo(ScaleMix.Pair pair) {
            int length = 1 + random.nextInt(MAX_ECHO);
            MemorySegment out = pair.out().asSlice(0, length);
            ScaleMix.fill(out, random.nextInt());
            parts.set(3);
            echoWrite(pair.client(), out, 0, this::part);
            echoServe(pair, length, 0);
            echoRead(pair, out, 0);
        }

        /** Writes all of {@code data}, continuing short writes and writing a cancelled one again. */
        private void echoWrite(int handle, MemorySegment data, long done, Runnable then) {
            submit(this, c -> ops.write(handle, data.asSlice(done), AioOperations.STREAM, null, c), r -> {
                if (cancelled(r)) {
                    echoWrite(handle, data, done, then);
                } else if (r <= 0) {
                    expect(false, "echo write", r);
                    then.run();
                } else if (done + r < data.byteSize()) {
                    echoWrite(handle, data, done + r, then);
                } else {
                    then.run();
                }
            });
        }

        /** The server side: reads what arrives and writes it back until the whole message has gone round. */
        private void echoServe(ScaleMix.Pair pair, int length, int served) {
            MemorySegment mid = pair.mid().asSlice(0, length - served);
            submit(this, c -> ops.read(pair.server(), mid, AioOperations.STREAM, null, c), r -> {
                if (cancelled(r)) {
                    echoServe(pair, length, served);
                } else if (r <= 0) {
                    expect(false, "echo server read", r);
                    part();
                } else {
                    echoWrite(pair.server(), mid.asSlice(0, r), 0, () -> {
                        if (served + r < length) {
                            echoServe(pair, length, served + r);
                        } else {
                            part();
                        }
                    });
                }
            });
        }

        private void echoRead(ScaleMix.Pair pair, MemorySegment out, long got) {
            MemorySegment in = pair.in().asSlice(0, out.byteSize());
            submit(this, c -> ops.read(pair.client(), in.asSlice(got), AioOperations.STREAM, null, c), r -> {
                if (cancelled(r)) {
                    echoRead(pair, out, got);
                } else if (r <= 0) {
                    expect(false, "echo client read", r);
                    part();
                } else if (got + r < out.byteSize()) {
                    echoRead(pair, out, got + r);
                } else {
                    long mismatch = in.mismatch(out);
                    if (mismatch >= 0) {
                        fail("echo of " + out.byteSize() + " bytes: byte " + mismatch + " differs");
                    } else {
                        bytesVerified.add(out.byteSize());
                    }
                    part();
                }
            });
        }

        private void eventfd(ScaleMix.Efd efd) {
            long n = 1 + random.nextInt(1_000_000);
            boolean signalFirst = random.nextBoolean();
            if (signalFirst) {
                signal(efd, n);
            }
            readEventfd(efd, n);
            if (!signalFirst) {
                signal(efd, n);
            }
        }

        private void signal(ScaleMix.Efd efd, long n) {
            if (!ops.signal(efd.handle(), n)) {
                fail("signal(" + efd.handle() + ", " + n + ") of an open eventfd refused");
            }
        }

        private void readEventfd(ScaleMix.Efd efd, long n) {
            submit(this, c -> ops.read(efd.handle(), efd.counter(), AioOperations.STREAM, null, c), r -> {
                if (cancelled(r)) {
                    readEventfd(efd, n);
                    return;
                }
                expect(r == 8, "eventfd read", r);
                long value = efd.counter().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                if (r == 8 && value != n) {
                    fail("eventfd read " + value + " after a signal of " + n);
                }
                part();
            });
        }

        /** Opens the file, reads it with several reads in flight and closes the handle under them. */
        private void fileChurn(MemorySegment[] kit) {
            submit(this, c -> ops.open(setup.staticPath(), EnumSet.of(AioOpenOption.READ), null, c), h -> {
                if (cancelled(h) || h < 0) {
                    expect(h == -AioErrno.ECANCELED, "open for churn", h);
                    part();
                    return;
                }
                int reads = 1 + random.nextInt(kit.length);
                parts.set(reads + 1);
                for (int i = 0; i < reads; i++) {
                    int length = 1 + random.nextInt(READ_SIZE);
                    long offset = random.nextLong(setup.staticContent().length - length + 1);
                    MemorySegment into = kit[i].asSlice(0, length);
                    submit(this, c -> ops.read(h, into, offset, null, c), r -> {
                        if (r >= 0) {
                            expect(r == length, "file read under a close", r);
                            verify(into, offset, r, "file read under a close");
                        } else {
                            expect(cancelled(r) || r == -AioErrno.EBADF, "file read under a close", r);
                        }
                        part();
                    });
                }
                closeHandle(h);
            });
        }

        private void closeHandle(int h) {
            submit(this, c -> ops.close(h, null, c), r -> {
                expect(r == 0 || cancelled(r), "close of handle " + h, r);
                part();
            });
        }

        /** Connects, accepts, reads on both ends and closes both under the reads. */
        private void socketChurn(MemorySegment[] kit) {
            int[] ends = {-1, -1};
            AtomicInteger arrived = new AtomicInteger();
            IntConsumer both = ignored -> {
                if (arrived.incrementAndGet() == 2) {
                    parts.set(4);
                    for (int i = 0; i < 2; i++) {
                        int h = ends[i];
                        MemorySegment into = kit[i].asSlice(0, 16);
                        submit(this, c -> ops.read(h, into, AioOperations.STREAM, null, c), r -> {
                            expect(r == 0 || cancelled(r) || r == -AioErrno.EBADF || r == -AioErrno.ECONNRESET,
                                    "read under a socket close", r);
                            part();
                        });
                    }
                    closeHandle(ends[0]);
                    closeHandle(ends[1]);
                }
            };
            churnOpen(c -> ops.connect(setup.listenAddress(), null, c), ends, 0, both, "connect");
            churnOpen(c -> ops.accept(setup.listener(), null, c), ends, 1, both, "accept");
        }

        private void churnOpen(Submission s, int[] ends, int i, IntConsumer both, String what) {
            submit(this, s, h -> {
                if (cancelled(h)) {
                    churnOpen(s, ends, i, both, what);
                } else if (h < 0) {
                    abandon(kind + ": " + what + " failed with " + h + " (" + AioErrno.name(h) + ")");
                } else {
                    ends[i] = h;
                    both.accept(h);
                }
            });
        }

        /** Creates an eventfd, reads it and closes it under the read. */
        private void eventfdChurn(MemorySegment[] kit) {
            submit(this, c -> ops.eventfd(0, null, c), h -> {
                if (h < 0) {
                    expect(cancelled(h), "eventfd for churn", h);
                    part();
                    return;
                }
                parts.set(2);
                submit(this, c -> ops.read(h, kit[0].asSlice(0, 8), AioOperations.STREAM, null, c), r -> {
                    expect(cancelled(r) || r == -AioErrno.EBADF, "eventfd read under a close", r);
                    part();
                });
                closeHandle(h);
            });
        }
    }
}
