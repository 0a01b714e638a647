package dev.aioops.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user and system CPU time this process has used, from {@code /proc/self/stat}: every thread of the process
 * counts, including io_uring's kernel workers ({@code iou-wrk-*}), which belong to the submitting process.
 *
 * @param userNanos   user-mode CPU time
 * @param systemNanos kernel-mode CPU time
 */
record CpuTime(long userNanos, long systemNanos) {

    /** Linux reports these times in clock ticks of 1/100 s on every architecture we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path STAT = Path.of("/proc/self/stat");

    static CpuTime now() {
        try {
            String stat = Files.readString(STAT);
            // The command name in parentheses may contain spaces; the fields start after the closing one.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of proc(5), utime and stime, are the 12th and 13th after the name.
            return new CpuTime(Long.parseLong(fields[11]) * NANOS_PER_TICK, Long.parseLong(fields[12]) * NANOS_PER_TICK);
        } catch (IOException e) {
            // Every figure of the report sits beside its CPU time: without it there is nothing to report.
            throw new UncheckedIOException("cannot read the process's CPU time from " + STAT, e);
        }
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
    }
}
