package dev.aioops.crossadapter;

import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.vthreads.AioBlocking;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual-thread facade at scale on every adapter: 1,000 virtual threads reading a file at random offsets,
 * and 1,000 virtual threads (500 connections, both ends) playing ping-pong, all parked on one instance at once.
 * Every byte is checked; the carriers must not grow beyond the scheduler's parallelism (the JDK adds carriers
 * when a virtual thread blocks one) and JFR must record no pinned virtual thread.
 */
@Timeout(120)
class VirtualThreadsAtScaleAcrossAdaptersTest {

    private static final int THREADS = 1000;
    private static final int BLOCK = 4096;
    private static final int FILE_BLOCKS = 1024; // a 4 MiB file
    private static final int READS_PER_THREAD = 8;
    private static final int ROUND_TRIPS = 20;
    private static final int MESSAGE = 64;

    @TempDir
    Path dir;

    private static byte fileByte(long offset) {
        return (byte) (offset * 31 + (offset >>> 12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_thousand_virtual_threads_read_a_file_on_the_carriers_they_started_with(AioProvider adapter)
            throws Exception {
        byte[] content = new byte[FILE_BLOCKS * BLOCK];
        for (int i = 0; i < content.length; i++) {
            content[i] = fileByte(i);
        }
        Path file = Files.write(dir.resolve("data"), content);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CarrierWatch watch;
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int handle = io.open(file);
            try (CarrierWatch w = new CarrierWatch()) {
                watch = w;
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    MemorySegment buffer = arena.allocate(BLOCK, BLOCK);
                    // Made here, not in the virtual thread: the first one initialises the class, and a virtual
                    // thread that waits on a class initialisation is pinned (a JDK limit, not aioops's).
                    SplittableRandom random = new SplittableRandom(t);
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            for (int r = 0; r < READS_PER_THREAD; r++) {
                                long offset = (long) random.nextInt(FILE_BLOCKS) * BLOCK;
                                check(io.readFully(handle, buffer, offset) == BLOCK, "short read at " + offset);
                                for (int i = 0; i < BLOCK; i += 509) {
                                    check(buffer.get(ValueLayout.JAVA_BYTE, i) == fileByte(offset + i),
                                            "wrong byte at " + (offset + i));
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            io.close(handle);
        }
        assertThat(failures).isEmpty();
        assertCarriersHeld(watch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_thousand_virtual_threads_play_ping_pong_on_the_carriers_they_started_with(AioProvider adapter)
            throws Exception {
        int connections = THREADS / 2;
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CarrierWatch watch;
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int listener = io.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), connections);
            InetSocketAddress address = (InetSocketAddress) ops.localAddress(listener);
            try (CarrierWatch w = new CarrierWatch()) {
                watch = w;
                List<Thread> threads = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    MemorySegment serverBuffer = arena.allocate(MESSAGE);
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            int socket = io.accept(listener);
                            while (io.readFully(socket, serverBuffer, STREAM) == MESSAGE) {
                                io.writeFully(socket, serverBuffer, STREAM);
                            }
                            io.close(socket);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                    MemorySegment out = arena.allocate(MESSAGE);
                    MemorySegment in = arena.allocate(MESSAGE);
                    int id = c;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            int socket = io.connect(address);
                            for (int r = 0; r < ROUND_TRIPS; r++) {
                                out.fill((byte) (id + r));
                                io.writeFully(socket, out, STREAM);
                                check(io.readFully(socket, in, STREAM) == MESSAGE, "short echo on " + id);
                                check(in.mismatch(out) == -1, "wrong echo on connection " + id);
                            }
                            io.close(socket);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            io.close(listener);
        }
        assertThat(failures).isEmpty();
        assertCarriersHeld(watch);
    }

    /**
     * An assertion for the virtual threads: AssertJ's first use initialises classes, and a virtual thread that
     * waits for another thread's class initialisation is pinned, which the test would report against the facade.
     */
    private static boolean inAioops(jdk.jfr.consumer.RecordedEvent pinned) {
        return pinned.getStackTrace() == null || pinned.getStackTrace().getFrames().stream().anyMatch(f -> {
            String type = f.getMethod().getType().getName();
            return type.startsWith("dev.aioops.") && !type.startsWith("dev.aioops.crossadapter.");
        });
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void assertCarriersHeld(CarrierWatch watch) {
        // Pins whose stack holds no aioops frame come from the test's own code (a class initialisation, a call
        // site linked on first use) and say nothing about the facade.
        assertThat(watch.pinned().stream().filter(VirtualThreadsAtScaleAcrossAdaptersTest::inAioops).toList())
                .as("jdk.VirtualThreadPinned events in aioops code").isEmpty();
        // The pool never shrinks within a test; a carrier added by another test class before is not ours.
        assertThat(watch.peak()).as("carrier threads (%d before, parallelism %d)", watch.before(),
                CarrierWatch.parallelism()).isLessThanOrEqualTo(Math.max(watch.before(), CarrierWatch.parallelism()));
    }
}
