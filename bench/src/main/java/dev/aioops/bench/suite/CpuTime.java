package dev.aioops.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user and system CPU time a process has used, from {@code /proc/PID/stat}: every thread of the process
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
        return of(STAT);
    }

    /**
     * The CPU time of a process and of its living descendants (nginx's master and workers), each read from its
     * {@code /proc/PID/stat}; a process that exits between the listing and the read counts as zero.
     */
    static CpuTime ofProcessTree(ProcessHandle root) {
        CpuTime total = of(Path.of("/proc", Long.toString(root.pid()), "stat"));
        for (ProcessHandle p : root.descendants().toList()) {
            Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
            if (Files.exists(stat)) {
                try {
                    total = total.plus(of(stat));
                } catch (UncheckedIOException exited) {
                    // Gone since it was listed: its time left with it, as it would between two readings anyway.
                }
            }
        }
        return total;
    }

    private static CpuTime of(Path stat) {
        try {
            String line = Files.readString(stat);
            // The command name in parentheses may contain spaces; the fields start after the closing one.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of proc(5), utime and stime, are the 12th and 13th after the name.
            return new CpuTime(Long.parseLong(fields[11]) * NANOS_PER_TICK,
                    Long.parseLong(fields[12]) * NANOS_PER_TICK);
        } catch (IOException e) {
            // Every figure of the report sits beside its CPU time: without it there is nothing to report.
            throw new UncheckedIOException("cannot read a process's CPU time from " + stat, e);
        }
    }

    CpuTime plus(CpuTime other) {
        return new CpuTime(userNanos + other.userNanos, systemNanos + other.systemNanos);
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
    }
}
