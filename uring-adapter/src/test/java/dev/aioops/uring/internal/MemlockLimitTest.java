package dev.aioops.uring.internal;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.uring.UringAioProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A low {@code RLIMIT_MEMLOCK}, in a child JVM under {@code prlimit --memlock}, without {@code CAP_IPC_LOCK} (which
 * lifts the limit) when the tests run as root. The ring's memory counts against the limit (before Linux 5.12, and
 * again on recent kernels: on 6.18 the default 256 x 4096 ring needs more than 64 KiB and fits in 96 KiB), and so
 * do registered buffers.
 */
class MemlockLimitTest {

    @TempDir
    Path dir;

    /**
     * The child.
     *
     * @param args {@code probe}: availability, its cause and what {@code Aio.open()} opens; {@code pool}: an
     *             instance with the default 4 MiB pool, and whether its buffers are registered
     */
    public static void main(String[] args) {
        if (args[0].equals("probe")) {
            UringAioProvider provider = new UringAioProvider();
            System.out.println("AVAILABLE=" + provider.isAvailable());
            System.out.println("CAUSE=" + provider.unavailabilityCause());
            try (AioOperations ops = Aio.open()) {
                System.out.println("ADAPTER=" + ops.adapterName());
            }
        } else {
            try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
                System.out.println("REGISTERED_BUFFERS="
                        + ops.capabilities().contains(AioCapability.REGISTERED_BUFFERS));
            }
        }
    }

    @Test
    @Timeout(120)
    void underA64KiBLimitTheProbeFailsAsTheRealRingWouldAndAioFallsBack() throws Exception {
        // The old probe's 4 x 8 ring fits in 64 KiB, the ring open() sets up does not: open() then threw.
        String[] out = runChild(64 * 1024, "probe");
        assertThat(out[0]).as(out[1]).contains("AVAILABLE=false", "ADAPTER=fallback-test");
        assertThat(out[0]).contains("io_uring is not available: setting up a ring of 256 SQ and 4096 CQ entries",
                "RLIMIT_MEMLOCK", "ENOMEM");
    }

    @Test
    @Timeout(120)
    void aPoolOverTheLimitIsUsedUnregisteredAndSaidSoAtInfo() throws Exception {
        // 1 MiB: room for the ring, not for the 4 MiB pool.
        String[] out = runChild(1024 * 1024, "pool");
        assertThat(out[0]).as(out[1]).contains("REGISTERED_BUFFERS=false");
        // The default java.util.logging configuration prints INFO, not DEBUG, on stderr.
        assertThat(out[1]).contains("INFO: io_uring: the buffer pool (4194304 bytes) could not be registered "
                + "(ENOMEM: ", "RLIMIT_MEMLOCK", "non-fixed READ/WRITE opcodes");
    }

    /** Runs {@link #main} in a child JVM under a memlock limit; returns its stdout and stderr. */
    private String[] runChild(long memlockBytes, String mode) throws IOException, InterruptedException {
        Path prlimit = onPath("prlimit");
        assumeThat(prlimit).as("prlimit (util-linux) to lower the memlock limit").isNotNull();
        List<String> command = new ArrayList<>(List.of(prlimit.toString(),
                "--memlock=" + memlockBytes + ":" + memlockBytes));
        if (hasIpcLock()) {
            Path setpriv = onPath("setpriv");
            assumeThat(setpriv).as("setpriv (util-linux) to drop CAP_IPC_LOCK, which ignores the limit").isNotNull();
            command.addAll(List.of(setpriv.toString(), "--bounding-set=-ipc_lock"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MemlockLimitTest.class.getName(), mode));
        Path errFile = dir.resolve("stderr-" + mode + ".txt");
        Process child = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(errFile);
        assertThat(child.exitValue()).as("stdout:\n%s\nstderr:\n%s", out, err).isZero();
        return new String[]{out, err};
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean hasIpcLock() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 14)) != 0; // CAP_IPC_LOCK is 14
            }
        }
        return false;
    }
}
