package dev.aioops.crossadapter.faults;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults that only a separate process can suffer, injected into child JVMs ({@link FaultLauncher}) on this test's
 * class path: io_uring forbidden by a seccomp filter, a 64 KiB memlock limit without {@code CAP_IPC_LOCK}, and
 * {@code ulimit -n 256} under 1,000 incoming connections. Each child is bounded in time and killed if it hangs.
 */
class FaultInjectionTest {

    private static final Duration CHILD = Duration.ofSeconds(30);
    private static final int CONNECTIONS = 1_000;
    /** CPU of all Java threads of the child during one second of EMFILE; a spinning loop takes ~1000 ms. */
    private static final long MOST_CPU_MS = 300;

    @TempDir
    Path dir;

    private static boolean linuxWithSeccompFilter() {
        return System.getProperty("os.name").equals("Linux")
                && Set.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    }

    private static boolean uringHere() {
        return Aio.provider("uring").map(AioProvider::isAvailable).orElse(false);
    }

    @Test
    @Timeout(60)
    void io_uring_forbidden_by_seccomp_falls_back_to_epoll_and_says_why() throws Exception {
        assumeTrue(linuxWithSeccompFilter(), "the seccomp filter is written for Linux on x86_64 and aarch64");
        assumeTrue(uringHere(), "io_uring is not available to this JVM, so nothing would be blocked");

        try (ChildJvm child = ChildJvm.start(dir, null, List.of(), "open")) {
            assertThat(child.await("URING_AVAILABLE", CHILD)).isEqualTo("false");
            assertThat(child.await("URING_CAUSE", CHILD)).containsIgnoringCase("seccomp");
            assertThat(child.await("OPENED", CHILD)).as(child.report()).startsWith("Epoll");
            assertThat(child.await("TIMEOUT_RESULT", CHILD)).isEqualTo("0");
            assertThat(child.exit(CHILD)).as(child.report()).isZero();
            assertThat(child.log()).as("the choice and why uring was passed over")
                    .contains("using adapter 'epoll'").contains("uring:").containsIgnoringCase("seccomp");
        }
    }

    @Test
    @Timeout(60)
    void naming_uring_under_seccomp_says_why_and_still_opens_a_working_fallback() throws Exception {
        assumeTrue(linuxWithSeccompFilter(), "the seccomp filter is written for Linux on x86_64 and aarch64");
        assumeTrue(uringHere(), "io_uring is not available to this JVM, so nothing would be blocked");

        try (ChildJvm child = ChildJvm.start(dir, null, List.of("-D" + Aio.ADAPTER_PROPERTY + "=uring"), "open")) {
            assertThat(child.await("OPENED", CHILD)).as(child.report()).startsWith("Epoll");
            assertThat(child.await("TIMEOUT_RESULT", CHILD)).isEqualTo("0");
            assertThat(child.exit(CHILD)).as(child.report()).isZero();
            assertThat(child.log()).contains("WARNING: aioops: adapter 'uring' was requested but is not available")
                    .containsIgnoringCase("seccomp").contains("using 'epoll' instead");
        }
    }

    @Test
    @Timeout(60)
    void a_64_KiB_memlock_limit_opens_uring_without_registered_buffers_and_says_so_or_falls_back()
            throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "RLIMIT_MEMLOCK and capabilities are Linux's");
        assumeTrue(uringHere(), "io_uring is not available to this JVM");

        try (ChildJvm child = ChildJvm.start(dir, null, List.of("-D" + Aio.ADAPTER_PROPERTY + "=uring"),
                "memlock")) {
            String mlock = child.await("MLOCK_256K", CHILD);
            assumeTrue(mlock.startsWith("refused"), "the 64 KiB memlock limit does not bite in this environment "
                    + "even without CAP_IPC_LOCK (mlock of 256 KiB: " + mlock + ")");
            // The probe sets up the ring open() would: under this limit it may already say why uring cannot run.
            boolean available = Boolean.parseBoolean(child.await("URING_AVAILABLE", CHILD));
            String opened = child.await("OPENED", CHILD);
            assertThat(child.await("TIMEOUT_RESULT", CHILD)).isEqualTo("0");
            assertThat(child.exit(CHILD)).as(child.report()).isZero();
            String log = child.log();
            System.out.println("memlock 64 KiB without CAP_IPC_LOCK: opened " + opened + "\n" + log);
            if (opened.startsWith("Uring")) {
                assertThat(log.lines().filter(l -> l.startsWith("INFO:"))
                        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("regist")))
                        .as("an INFO line saying the pool buffers are not registered\n" + child.report())
                        .isNotEmpty();
            } else if (available) {
                assertThat(log).as("a fallback says why\n" + child.report())
                        .contains("WARNING: aioops: adapter 'uring' is available but failed to open");
            } else {
                assertThat(log).as("a fallback says why\n" + child.report())
                        .contains("WARNING: aioops: adapter 'uring' was requested but is not available")
                        .containsIgnoringCase("memlock").contains("using 'epoll' instead");
            }
        }
    }

    @Test
    @Timeout(90)
    void epoll_accepts_through_emfile_without_spinning_and_resumes() throws Exception {
        acceptsThroughEmfile("epoll");
    }

    @Test
    @Timeout(90)
    void uring_accepts_through_emfile_without_spinning_and_resumes() throws Exception {
        assumeTrue(uringHere(), "io_uring is not available to this JVM");
        acceptsThroughEmfile("uring");
    }

    @Test
    @Timeout(90)
    void vertx_accepts_through_emfile_without_spinning_and_resumes() throws Exception {
        acceptsThroughEmfile("vertx");
    }

    @Test
    @Timeout(60)
    void epoll_accepts_once_descriptors_it_never_had_are_free() throws Exception {
        acceptsAfterExhaustion("epoll");
    }

    @Test
    @Timeout(60)
    void uring_accepts_once_descriptors_it_never_had_are_free() throws Exception {
        assumeTrue(uringHere(), "io_uring is not available to this JVM");
        acceptsAfterExhaustion("uring");
    }

    @Test
    @Timeout(60)
    void vertx_accepts_once_descriptors_it_never_had_are_free() throws Exception {
        acceptsAfterExhaustion("vertx");
    }

    /**
     * A child listens, then holds every descriptor it has left, so that its first connections cannot be accepted;
     * it lets them go 1.5 s later and must then accept every connection. On Vert.x this is the case that no accept
     * failure reaches the adapter (it has no connection yet to find the listening channel by), and Netty's own log
     * line must not end the acceptor thread.
     */
    private void acceptsAfterExhaustion(String adapter) throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "ulimit -n and EMFILE as on Linux");
        assumeTrue(Aio.provider(adapter).map(AioProvider::isAvailable).orElse(false), adapter + " not available");
        int connections = 20;
        List<SocketChannel> clients = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(dir, "ulimit -n 256", List.of(), "exhausted", adapter,
                Integer.toString(connections))) {
            assertThat(Integer.parseInt(child.await("HOARDED", CHILD))).as(child.report()).isPositive();
            int port = Integer.parseInt(child.await("PORT", CHILD));
            for (int i = 0; i < connections; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            }
            String released = child.await("RELEASED", CHILD);
            String done = child.await("DONE", CHILD);
            System.out.println(adapter + ": out of descriptors from the start, " + released + ", " + done);
            assertThat(done).as(child.report()).startsWith("accepted=" + connections);
            assertThat(child.log()).as("no thread died").doesNotContain("Exception in thread");
            assertThat(child.exit(CHILD)).as(child.report()).isZero();
        } finally {
            for (SocketChannel client : clients) {
                closeQuietly(client);
            }
        }
    }

    /**
     * A child under {@code ulimit -n 256} accepts while this JVM opens 1,000 loopback connections to it: accept
     * completes with {@code -EMFILE}, one second of it costs the child little CPU, and once it closes what it
     * accepted it accepts again, until all 1,000 are in.
     */
    private void acceptsThroughEmfile(String adapter) throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "ulimit -n and EMFILE as on Linux");
        assumeTrue(Aio.provider(adapter).map(AioProvider::isAvailable).orElse(false), adapter + " not available");
        List<SocketChannel> clients = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(dir, "ulimit -n 256", List.of(), "accept", adapter,
                Integer.toString(CONNECTIONS))) {
            int port = Integer.parseInt(child.await("PORT", CHILD));
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            }
            int before = Integer.parseInt(child.await("EMFILE_AFTER", CHILD));
            assertThat(before).as("connections accepted before the descriptors ran out").isBetween(1, 255);
            long cpu = Long.parseLong(child.await("WINDOW_CPU_MS", CHILD));
            assertThat(cpu).as("CPU ms of the child's threads over 1 s of EMFILE\n" + child.report())
                    .isLessThan(MOST_CPU_MS);
            String done = child.await("DONE", CHILD);
            System.out.println(adapter + ": EMFILE after " + before + " accepted, " + cpu
                    + " ms CPU in its 1 s window, " + done);
            assertThat(done).as(child.report()).startsWith("accepted=" + CONNECTIONS);
            assertThat(child.exit(CHILD)).as(child.report()).isZero();
        } finally {
            for (SocketChannel client : clients) {
                closeQuietly(client);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // loopback: nothing to report
        }
    }
}
