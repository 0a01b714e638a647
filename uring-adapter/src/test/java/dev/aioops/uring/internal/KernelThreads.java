package dev.aioops.uring.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test helper: the io_uring kernel threads of this process, from {@code /proc/self/task/<tid>/comm}. An io-wq
 * worker is named {@code iou-wrk-<tid>} after the task whose io-wq it serves, an SQ thread {@code iou-sqp-<tid>}.
 */
final class KernelThreads {

    private KernelThreads() {
    }

    /** Threads whose name starts with {@code prefix}, counted by the rest of the name (the owner's tid). */
    static Map<String, Integer> byOwner(String prefix) {
        Map<String, Integer> owners = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    if (comm.startsWith(prefix)) {
                        owners.merge(comm.substring(prefix.length()), 1, Integer::sum);
                    }
                } catch (IOException gone) {
                    // the thread exited while we listed
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return owners;
    }

    /** How many threads have a name starting with {@code prefix}. */
    static int count(String prefix) {
        return byOwner(prefix).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The scheduler state of thread {@code tid} of this process ({@code S} when blocked in the kernel). */
    static char state(String tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", tid, "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tid of the calling thread. */
    static String currentTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
