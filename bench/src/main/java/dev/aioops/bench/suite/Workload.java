package dev.aioops.bench.suite;

import java.util.List;

/**
 * A workload and its contenders, run side by side: every repetition runs each contender once, in an order that
 * rotates from one repetition to the next so that none always runs on a warmer (or more tired) machine.
 *
 * @param name        the workload, such as "file checksum"
 * @param variant     its parameters, such as "1 GiB, page cache, 32 KiB blocks"
 * @param unit        what its throughput is measured in
 * @param baseline    the contender every ratio is taken against
 * @param contenders  the contenders, prepared and not yet run
 */
record Workload(String name, String variant, Unit unit, String baseline, List<Contender> contenders) {

    /** How throughput is counted and shown. */
    enum Unit {
        /** Work counted in bytes, shown in MiB/s; CPU shown per GiB. */
        MIB_PER_SECOND("MiB/s", 1 << 20, "CPU ms/GiB", (1 << 30) / 1e6),
        /** Work counted in operations, shown per second; CPU shown per operation. */
        OPS_PER_SECOND("ops/s", 1, "CPU µs/op", 1e-3);

        final String label;
        final double scale;
        final String cpuLabel;
        /** Turns CPU nanoseconds per unit of work (per byte, per operation) into the unit of {@link #cpuLabel}. */
        final double cpuFactor;

        Unit(String label, double scale, String cpuLabel, double cpuFactor) {
            this.label = label;
            this.scale = scale;
            this.cpuLabel = cpuLabel;
            this.cpuFactor = cpuFactor;
        }
    }
}
