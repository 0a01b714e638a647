package dev.aioops.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line saying which machine a run came from, for the report. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = firstMatch(Path.of("/proc/cpuinfo"), "model name");
        String kernel = read(Path.of("/proc/sys/kernel/osrelease"));
        long memKb = 0;
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        if (mem != null) {
            memKb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
        }
        return String.format("%d cores (%s), %d GiB, Linux %s, Java %s", Runtime.getRuntime().availableProcessors(),
                cpu == null ? "unknown CPU" : cpu, Math.round(memKb / 1048576.0), kernel,
                System.getProperty("java.version"));
    }

    private static String firstMatch(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
