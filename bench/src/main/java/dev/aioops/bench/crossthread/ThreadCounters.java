package dev.aioops.bench.crossthread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel counters of one thread of this process, read from {@code /proc} without privileges. A thread is named by
 * its kernel id ({@link #currentTid()}), not by {@link Thread#threadId()}.
 *
 * <ul>
 *   <li>{@link #writeSyscalls(int)}: {@code syscw} of {@code /proc/self/task/TID/io}, the write-like system calls
 *       the thread made ({@code write}, {@code writev}, {@code pwrite}, {@code sendfile}…). Every loop measured here
 *       is woken by an {@code eventfd} {@code write(2)}, which counts one; a {@code futex} wake-up (what a JDK
 *       executor's {@code LockSupport.unpark} costs) does not count, and neither do operations io_uring performs.</li>
 *   <li>{@link #voluntarySwitches(int)}: {@code voluntary_ctxt_switches} of {@code /proc/self/task/TID/status}, how
 *       often the thread blocked: for an event loop, its sleeps (plus the rare safepoint or lock wait).</li>
 * </ul>
 *
 * <p>Both were checked on Linux 6.18: 10,000 {@code eventfd_write} calls add 10,000 to the caller's {@code syscw},
 * and a thread blocked in an {@code eventfd} read and woken 1,000 times gains 1,000 voluntary switches. Reading
 * these files is a {@code read}, so it does not disturb {@code syscw}. Each call reads the file anew (it
 * allocates): use it around a measurement, not inside one.
 */
public final class ThreadCounters {

    private static final Path TASKS = Path.of("/proc/self/task");

    private ThreadCounters() {
    }

    /**
     * The kernel id of the calling thread.
     *
     * @return the thread id ({@code gettid(2)})
     * @throws IllegalStateException if {@code /proc/thread-self} cannot be read (not Linux)
     */
    public static int currentTid() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>".
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/thread-self", e);
        }
    }

    /**
     * The write-like system calls a thread of this process has made since it started.
     *
     * @param tid the thread's kernel id
     * @return its {@code syscw}
     * @throws IllegalStateException if the thread has ended or the counter cannot be read
     */
    public static long writeSyscalls(int tid) {
        return field(TASKS.resolve(tid + "/io"), "syscw");
    }

    /**
     * The times a thread of this process has blocked (given up the CPU on its own) since it started.
     *
     * @param tid the thread's kernel id
     * @return its {@code voluntary_ctxt_switches}
     * @throws IllegalStateException if the thread has ended or the counter cannot be read
     */
    public static long voluntarySwitches(int tid) {
        return field(TASKS.resolve(tid + "/status"), "voluntary_ctxt_switches");
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name) && line.charAt(name.length()) == ':') {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + name + " from " + file, e);
        }
        throw new IllegalStateException(file + " has no " + name);
    }
}
