package dev.aioops.bench.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fio peer: its tuned and default command lines, and a real run of each when fio is installed. */
@Timeout(60)
class FioContenderTest {

    @TempDir
    Path dir;

    @Test
    void tunedBatchesToTheDepthWithRegisteredBuffersAndFileAndDefaultsDoNot() {
        Path file = dir.resolve("f");
        FioContender tuned = FioContender.randomReads("io_uring", FioContender.Tuning.TUNED, file, 32, false,
                Duration.ofSeconds(2));
        FioContender defaults = FioContender.randomReads("io_uring", FioContender.Tuning.DEFAULTS, file, 32, false,
                Duration.ofSeconds(2));
        assertThat(tuned.name()).isEqualTo("fio io_uring tuned");
        assertThat(defaults.name()).isEqualTo("fio io_uring defaults");
        assertThat(tuned.arguments()).contains("--iodepth=32", "--iodepth_batch_submit=32",
                "--iodepth_batch_complete_min=1", "--iodepth_batch_complete_max=32", "--fixedbufs",
                "--registerfiles", "--thread").doesNotContain("--sqthread_poll=1");
        assertThat(defaults.arguments()).contains("--iodepth=32")
                .noneMatch(a -> a.startsWith("--iodepth_batch") || a.equals("--fixedbufs"));
        assertThat(FioContender.randomReads("psync", FioContender.Tuning.DEFAULTS, file, 32, false,
                Duration.ofSeconds(2)).arguments()).contains("--iodepth=1");
    }

    @Test
    void runsCountingReadsOrBytesWithItsCpu() throws Exception {
        assumeTrue(FioContender.installed(), "fio is not installed");
        Path file = BenchFiles.file(dir, "data.bin", 8L << 20);
        Trial random = FioContender.randomReads("io_uring", FioContender.Tuning.TUNED, file, 8, false,
                Duration.ofMillis(300)).run();
        Trial sequential = FioContender.sequentialReads(FioContender.Tuning.TUNED, file, 32 * 1024, 4, false,
                Duration.ofMillis(300)).run();
        for (Trial t : new Trial[]{random, sequential}) {
            assertThat(t.work()).isPositive();
            assertThat(t.wallNanos()).isPositive();
            assertThat(t.cpuNanos()).isPositive();
        }
        // Reads of 4 KiB against bytes: a read count is far below the bytes read in the same time.
        assertThat(random.perSecond()).isLessThan(sequential.perSecond() / 1024);
    }
}
