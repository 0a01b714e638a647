package dev.aioops.crossadapter.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A child JVM running {@link FaultLauncher} on this test's class path, optionally under a shell that lowers a
 * limit first ({@code ulimit -n 256}). Its standard output is read line by line; its standard error (the
 * adapters' logs) goes to a file that every failure message quotes.
 */
final class ChildJvm implements AutoCloseable {

    private static final String END = "\u0000end";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child died: END below says so
            }
            lines.add(END);
        });
    }

    /**
     * Starts {@code java [jvmArgs] FaultLauncher args}, under {@code bash -c 'SHELL; exec java ...'} when
     * {@code shellPrefix} is not null.
     */
    static ChildJvm start(Path dir, String shellPrefix, List<String> jvmArgs, String... args) throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("--enable-native-access=ALL-UNNAMED");
        java.addAll(jvmArgs);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(FaultLauncher.class.getName());
        java.addAll(List.of(args));
        List<String> command = new ArrayList<>();
        if (shellPrefix != null) {
            command.addAll(List.of("bash", "-c", shellPrefix + " && exec \"$@\"", "bash"));
        }
        command.addAll(java);
        Path stderr = Files.createTempFile(dir, "child-", ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    /** The value after {@code key} on the next line that starts with it; fails after {@code timeout}. */
    String await(String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                fail("the child printed no '" + key + "' " + (line == null ? "within " + timeout : "before it ended")
                        + "\n" + report());
            }
            seen.add(line);
            if (line.startsWith(key + " ") || line.equals(key)) {
                return line.substring(key.length()).strip();
            }
        }
    }

    /** The child's standard error: the adapters' log lines. */
    String log() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /** What the child printed so far, for failure messages. */
    String report() {
        return "stdout: " + seen + "\nstderr:\n" + log();
    }

    /** Waits for the child to exit, or kills it; returns its exit status (-1 when killed). */
    int exit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly().onExit().join();
        }
    }
}
