package dev.aioops.crossadapter.faults;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main class of the child JVMs of {@link FaultInjectionTest}: restricts its own process first, then uses
 * aioops and prints what happened, one {@code KEY value} line at a time on standard output (the adapters' logs go
 * to standard error).
 *
 * <pre>
 * FaultLauncher open           seccomp filter on io_uring, then Aio.open()
 * FaultLauncher memlock        RLIMIT_MEMLOCK 64 KiB and no CAP_IPC_LOCK, then Aio.open()
 * FaultLauncher accept ADAPTER N   listen, accept N connections through EMFILE (run it under ulimit -n)
 * FaultLauncher exhausted ADAPTER N  listen, hold every free descriptor for 1.5 s, then accept N connections
 * </pre>
 */
public final class FaultLauncher {

    private FaultLauncher() {
    }

    /**
     * Runs one scenario; exits 0 when it ran to its end (the parent judges the printed lines), 2 on a failure.
     *
     * @param args the scenario and its arguments
     * @throws Throwable when a restriction cannot be installed
     */
    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "open" -> openUnderSeccomp();
            case "memlock" -> openUnderMemlock();
            case "accept" -> acceptThroughEmfile(args[1], Integer.parseInt(args[2]));
            case "exhausted" -> acceptAfterExhaustion(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    private static void openUnderSeccomp() throws Throwable {
        KernelRestrictions.blockIoUring();
        AioProvider uring = Aio.provider("uring").orElseThrow();
        System.out.println("URING_AVAILABLE " + uring.isAvailable());
        System.out.println("URING_CAUSE " + (uring.unavailabilityCause() == null ? "none"
                : uring.unavailabilityCause().getMessage()));
        try (AioOperations ops = Aio.open()) {
            System.out.println("OPENED " + ops.getClass().getSimpleName());
            System.out.println("TIMEOUT_RESULT " + timeoutResult(ops));
        }
    }

    private static void openUnderMemlock() throws Throwable {
        KernelRestrictions.limitMemlock(64 * 1024);
        KernelRestrictions.dropIpcLock();
        String refusal = KernelRestrictions.tryLock(256 * 1024);
        System.out.println("MLOCK_256K " + (refusal == null ? "allowed" : "refused " + refusal));
        System.out.println("URING_AVAILABLE " + Aio.provider("uring").orElseThrow().isAvailable());
        try (AioOperations ops = Aio.open()) {
            System.out.println("OPENED " + ops.getClass().getSimpleName());
            System.out.println("TIMEOUT_RESULT " + timeoutResult(ops));
        }
    }

    private static int timeoutResult(AioOperations ops) throws InterruptedException {
        int[] result = {Integer.MIN_VALUE};
        CountDownLatch done = new CountDownLatch(1);
        ops.timeout(TimeUnit.MILLISECONDS.toNanos(1), null, (r, a) -> {
            result[0] = r;
            done.countDown();
        });
        return done.await(10, TimeUnit.SECONDS) ? result[0] : Integer.MIN_VALUE;
    }

    // ======================================================================================= accept and EMFILE

    /**
     * Accepts {@code total} connections. At the first {@code -EMFILE} it stops accepting for one second and
     * measures the CPU time of every Java thread meanwhile (a loop that spins on a readable listening socket
     * shows here), then closes what it accepted and accepts again; at later ones it closes and accepts at once.
     */
    private static void acceptThroughEmfile(String adapter, int total) throws Throwable {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        cpuNanos(threads); // loads what the EMFILE path needs while descriptors are still free
        AioProvider provider = Aio.provider(adapter).orElseThrow();
        try (AioOperations ops = provider.open(AioConfig.defaults())) {
            Acceptor acceptor = new Acceptor(ops, threads, total);
            ops.execute(acceptor::start);
            if (!acceptor.finished.await(40, TimeUnit.SECONDS)) {
                System.out.println("STUCK accepted=" + acceptor.accepted + " emfile=" + acceptor.emfiles);
            }
        }
    }

    private static void acceptAfterExhaustion(String adapter, int total) throws Throwable {
        AioProvider provider = Aio.provider(adapter).orElseThrow();
        try (AioOperations ops = provider.open(AioConfig.defaults())) {
            ExhaustedAcceptor acceptor = new ExhaustedAcceptor(ops, total);
            ops.execute(acceptor::start);
            if (!acceptor.finished.await(20, TimeUnit.SECONDS)) {
                System.out.println("STUCK accepted=" + acceptor.accepted + " emfile=" + acceptor.emfiles);
            }
        }
    }

    private static long cpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            sum += Math.max(0, cpu);
        }
        return sum;
    }

    /** Loop-confined state of the accept scenario. */
    private static final class Acceptor {
        private final AioOperations ops;
        private final ThreadMXBean threads;
        private final int total;
        private final List<Integer> held = new ArrayList<>();
        final CountDownLatch finished = new CountDownLatch(1);
        private int listen;
        volatile int accepted;
        volatile int emfiles;
        private int closing;
        private boolean measured;

        Acceptor(AioOperations ops, ThreadMXBean threads, int total) {
            this.ops = ops;
            this.threads = threads;
            this.total = total;
        }

        void start() {
            ops.listen(new InetSocketAddress("127.0.0.1", 0), 2048, null, (handle, a) -> {
                if (handle < 0) {
                    finish("LISTEN_FAILED " + AioErrno.name(handle));
                    return;
                }
                listen = handle;
                try {
                    System.out.println("PORT " + ((InetSocketAddress) ops.localAddress(handle)).getPort());
                } catch (java.io.IOException e) {
                    finish("LISTEN_FAILED " + e);
                    return;
                }
                arm();
            });
        }

        private void arm() {
            ops.accept(listen, null, (result, a) -> accepted(result));
        }

        private void accepted(int result) {
            if (result >= 0) {
                held.add(result);
                accepted++;
                if (accepted == total) {
                    finish("DONE accepted=" + accepted + " emfile=" + emfiles);
                } else {
                    arm();
                }
                return;
            }
            if (result != -AioErrno.EMFILE && result != -AioErrno.ENFILE) {
                finish("ACCEPT_FAILED " + AioErrno.name(result) + " after accepted=" + accepted);
                return;
            }
            emfiles++;
            if (measured) {
                release();
                return;
            }
            measured = true;
            System.out.println("EMFILE_AFTER " + accepted);
            long before = cpuNanos(threads);
            ops.timeout(TimeUnit.SECONDS.toNanos(1), null, (r, a) -> {
                System.out.println("WINDOW_CPU_MS " + (cpuNanos(threads) - before) / 1_000_000);
                release();
            });
        }

        /** Closes every accepted connection, then accepts again once all are closed. */
        private void release() {
            if (held.isEmpty()) {
                finish("NOTHING_TO_RELEASE after accepted=" + accepted);
                return;
            }
            closing = held.size();
            for (int handle : held) {
                ops.close(handle, null, (r, a) -> {
                    if (--closing == 0) {
                        arm();
                    }
                });
            }
            held.clear();
        }

        private void finish(String line) {
            System.out.println(line);
            System.out.flush();
            finished.countDown();
        }
    }
}
