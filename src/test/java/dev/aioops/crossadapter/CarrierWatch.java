package dev.aioops.crossadapter;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Watches the virtual-thread scheduler while a test runs: samples how many carrier threads exist (the JDK adds
 * carriers beyond its parallelism when a virtual thread blocks its carrier, for example in
 * {@code FileChannel.read}) and records JFR's {@code jdk.VirtualThreadPinned} events (a virtual thread that
 * parks while it cannot unmount).
 */
final class CarrierWatch implements AutoCloseable {

    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    private final Recording recording = new Recording();
    private final Thread sampler;
    private final int before;
    private volatile int peak;
    private volatile boolean stop;
    private List<RecordedEvent> pinned = List.of();

    CarrierWatch() {
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
        before = carriers();
        peak = before;
        sampler = Thread.ofPlatform().daemon().name("carrier-watch").start(() -> {
            while (!stop) {
                peak = Math.max(peak, carriers());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The number of carrier threads alive now. */
    static int carriers() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getClass().getName().equals(CARRIER_CLASS)) {
                n++;
            }
        }
        return n;
    }

    /** The scheduler's parallelism: the carriers it keeps when nothing blocks them. */
    static int parallelism() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return p == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(p);
    }

    int before() {
        return before;
    }

    int peak() {
        return peak;
    }

    List<RecordedEvent> pinned() {
        return pinned;
    }

    @Override
    public void close() throws IOException {
        stop = true;
        boolean interrupted = false;
        while (sampler.isAlive()) {
            try {
                sampler.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        peak = Math.max(peak, carriers());
        recording.stop();
        Path file = Files.createTempFile("carrier-watch", ".jfr");
        try {
            recording.dump(file);
            pinned = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
        } finally {
            recording.close();
            Files.deleteIfExists(file);
        }
    }
}
