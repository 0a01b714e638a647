package dev.aioops.examples.offload;

import dev.aioops.spi.AioFutures;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes SHA-256 digests of buffers on worker threads of its own and reports the finished ones through an
 * eventfd: the pattern of a library that has threads of its own (a TLS engine, a compressor, a database
 * driver's decoder) and must hand results to an event loop it does not own.
 *
 * <p><b>The handshake.</b> The library obtains its eventfd from the application's {@link AioOperations}
 * ({@link #eventFd()}). Workers add 1 to it when they finish work. The application keeps a read pending on
 * it and, each time the read completes, re-arms the read and calls {@link #onEventFdFired()}, which delivers
 * every finished digest to its {@link DigestCompletion} — on the loop thread, where the application's own
 * state lives:
 *
 * <pre>{@code
 * DigestOffload offload = DigestOffload.open(ops, 4).join();
 * MemorySegment counter = Arena.ofShared().allocate(8);
 * AioCompletion<DigestOffload> pump = new AioCompletion<>() {
 *     public void completed(int result, DigestOffload lib) {
 *         if (result < 0) {
 *             return;                                  // the eventfd was closed: the library is done
 *         }
 *         ops.read(lib.eventFd(), counter, AioOperations.STREAM, lib, this);
 *         lib.onEventFdFired();
 *     }
 * };
 * ops.read(offload.eventFd(), counter, AioOperations.STREAM, offload, pump);
 * }</pre>
 *
 * <p><b>Wake-ups.</b> A worker signals the eventfd only when no signal is outstanding, so a burst of results
 * costs one wake-up of the loop, not one per result.
 *
 * <p><b>Threads.</b> {@link #submit} and {@link #close()} may be called from any thread;
 * {@link #onEventFdFired()} on the loop only. The buffer of a submission must stay unchanged and readable from
 * any thread (heap, global, shared or automatic arena) until its completion runs.
 *
 * <p><b>Closing.</b> {@link #close()} refuses new work; the workers finish every job already submitted, the
 * application's pump delivers them, and the library then closes its eventfd — which completes the pump's
 * pending read with an error, its signal to stop. {@link #closed()} completes at that point.
 */
public final class DigestOffload implements AutoCloseable {

    private static final Job STOP = new Job(MemorySegment.NULL, null, null);

    private final AioOperations ops;
    private final int eventFd;
    private final LinkedBlockingQueue<Job> work = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Job> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalOutstanding = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger workersAlive;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Thread> workers;
    private boolean eventFdClosed;

    private DigestOffload(AioOperations ops, int eventFd, int threads) {
        this.ops = ops;
        this.eventFd = eventFd;
        this.workersAlive = new AtomicInteger(threads);
        List<Thread> started = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().daemon().name("aioops-digest-" + eventFd + "-" + i).unstarted(this::work));
        }
        this.workers = List.copyOf(started);
    }

    /**
     * Creates the library's eventfd through {@code ops} and starts its worker threads.
     *
     * @param ops     the application's operations; they must outlive this library
     * @param threads how many worker threads, from 1 to 256
     * @return the running library (completed on the loop), or an {@link dev.aioops.spi.AioException} if the
     *         eventfd could not be created
     * @throws NullPointerException     if {@code ops} is null
     * @throws IllegalArgumentException if {@code threads} is out of range
     * @throws IllegalStateException    if {@code ops} is closed
     */
    public static CompletableFuture<DigestOffload> open(AioOperations ops, int threads) {
        Objects.requireNonNull(ops, "ops");
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be from 1 to 256, not " + threads);
        }
        CompletableFuture<DigestOffload> opened = new CompletableFuture<>();
        AioFutures.submit(ops, "create the digest offload's eventfd", (future, completion) ->
                ops.eventfd(0, future, completion)).whenComplete((handle, failure) -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
                return;
            }
            DigestOffload offload = new DigestOffload(ops, handle, threads);
            offload.workers.forEach(Thread::start);
            opened.complete(offload);
        });
        return opened;
    }

    /**
     * The eventfd the application must read (8 bytes, {@link AioOperations#STREAM}) and answer with
     * {@link #onEventFdFired()}. A handle of the operations passed to {@link #open}; the library closes it.
     *
     * @return the eventfd handle
     */
    public int eventFd() {
        return eventFd;
    }

    /**
     * Submits a buffer to be digested on a worker thread.
     *
     * @param data       the bytes; unchanged and readable from any thread until the completion runs
     * @param attachment handed back to the completion; may be null
     * @param completion called once, on the loop, from {@link #onEventFdFired()}
     * @param <A>        the attachment type
     * @throws NullPointerException  if {@code data} or {@code completion} is null
     * @throws IllegalStateException if {@link #close()} was called
     */
    public <A> void submit(MemorySegment data, A attachment, DigestCompletion<? super A> completion) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(completion, "completion");
        if (closing.get()) {
            throw new IllegalStateException("the digest offload is closed");
        }
        work.add(new Job(data, attachment, completion));
    }

    /**
     * Submits an array; its digest completes the future on the loop. A convenience over {@link #submit}.
     *
     * @param data the bytes; not modified, and not to be modified until the future completes
     * @return the 32-byte digest
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException if {@link #close()} was called
     */
    public CompletableFuture<byte[]> digest(byte[] data) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        submit(MemorySegment.ofArray(data), result, (sha256, future) -> future.complete(sha256));
        return result;
    }

    /**
     * Delivers every finished digest to its completion. The application calls it on the loop each time a read
     * of {@link #eventFd()} completes; a call without news is harmless. After {@link #close()}, the call that
     * finds every job delivered closes the eventfd.
     *
     * @throws IllegalStateException    if not called on the loop of the operations
     * @throws RuntimeException         the first exception a completion threw, after every digest was delivered
     */
    public void onEventFdFired() {
        if (!ops.inLoop()) {
            throw new IllegalStateException("onEventFdFired() must be called on the loop of the AioOperations");
        }
        // Cleared before draining: a worker that finishes after this point sees false and signals again, and
        // one that saw true had queued its result before the clear, so the drain below finds it.
        signalOutstanding.set(false);
        RuntimeException firstFailure = null;
        Job job;
        while ((job = finished.poll()) != null) {
            try {
                job.deliver();
            } catch (RuntimeException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                } else {
                    firstFailure.addSuppressed(e);
                }
            }
        }
        if (closing.get() && workersAlive.get() == 0 && finished.isEmpty() && !eventFdClosed) {
            eventFdClosed = true;
            try {
                ops.close(eventFd, null, (r, a) -> closed.complete(null));
            } catch (IllegalStateException opsClosed) {
                closed.complete(null);
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /**
     * Refuses new work and lets the workers finish what was submitted; the eventfd is closed once everything is
     * delivered. Idempotent; any thread; does not wait.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            for (int i = 0; i < workers.size(); i++) {
                work.add(STOP);
            }
        }
    }

    /**
     * Completes once, after {@link #close()}, every job is delivered and the eventfd closed.
     *
     * @return the future, completed on the loop
     */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    private void work() {
        MessageDigest sha256 = newDigest();
        try {
            while (true) {
                Job job = work.take();
                if (job == STOP) {
                    return;
                }
                job.compute(sha256);
                finished.add(job);
                if (signalOutstanding.compareAndSet(false, true)) {
                    ops.signal(eventFd, 1);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            if (workersAlive.decrementAndGet() == 0) {
                // The last worker out wakes the loop once more so that it sees the end and closes the eventfd.
                ops.signal(eventFd, 1);
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new AssertionError("every Java platform provides SHA-256", impossible);
        }
    }

    /** One buffer to digest. The worker's writes are published to the loop by the finished queue. */
    private static final class Job {
        private final MemorySegment data;
        private final Object attachment;
        private final DigestCompletion<Object> completion;
        private byte[] digest;

        @SuppressWarnings("unchecked") // the completion accepts the attachment's type, as submit checked
        Job(MemorySegment data, Object attachment, DigestCompletion<?> completion) {
            this.data = data;
            this.attachment = attachment;
            this.completion = (DigestCompletion<Object>) completion;
        }

        void compute(MessageDigest sha256) {
            try {
                sha256.update(data.asByteBuffer());
                digest = sha256.digest();
            } catch (IllegalStateException | WrongThreadException unreadable) {
                sha256.reset();
                digest = null;
            }
        }

        void deliver() {
            completion.digested(digest, attachment);
        }
    }
}
