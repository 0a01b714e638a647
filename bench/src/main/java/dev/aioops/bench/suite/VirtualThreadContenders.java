package dev.aioops.bench.suite;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.vthreads.AioBlocking;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aioops.spi.AioOperations.STREAM;

/**
 * The virtual-thread workloads: {@value #THREADS} virtual threads, each doing 4 KiB random reads of one cached
 * file, or each running one 64-byte ping-pong connection (with its peer on another virtual thread), written once
 * against a small blocking interface and run on {@link AioBlocking} (every adapter) and on the JDK's
 * {@link FileChannel} / {@link SocketChannel}. Each trial also watches the scheduler's carriers ({@link CarrierPeak}).
 */
final class VirtualThreadContenders {

    static final int THREADS = 1000;
    private static final int BLOCK = 4096;
    private static final int MESSAGE = 64;

    private VirtualThreadContenders() {
    }

    // ---------------------------------------------------------------------------------------------- files

    /** One file, read by many threads at once: {@code read(thread, offset)} fills that thread's own buffer. */
    private interface Files extends AutoCloseable {
        int read(int thread, long offset) throws IOException;

        @Override
        void close() throws IOException;
    }

    static List<Contender> fileReads(String workload, List<AioProvider> adapters, Path file, Duration duration) {
        List<Contender> contenders = new ArrayList<>();
        long[] offsets = BenchFiles.randomOffsets(sizeOf(file), 1 << 20);
        for (AioProvider a : adapters) {
            for (int loops : loopCounts()) {
                String name = nameOf(a, loops);
                contenders.add(new Runner(name, a, loops,
                        members -> fileRun(workload, name, aioFiles(members, file), offsets, duration)));
            }
        }
        contenders.add(new Runner("FileChannel", null, 0,
                ops -> fileRun(workload, "FileChannel", channelFiles(file), offsets, duration)));
        return contenders;
    }

    /** The file opened on every member; thread {@code i} reads through member {@code i % members}. */
    private static Files aioFiles(List<AioOperations> members, Path file) throws IOException {
        int n = members.size();
        AioBlocking[] io = new AioBlocking[n];
        int[] handles = new int[n];
        for (int m = 0; m < n; m++) {
            io[m] = new AioBlocking(members.get(m));
            handles[m] = io[m].open(file);
        }
        Arena arena = Arena.ofShared();
        MemorySegment[] buffers = new MemorySegment[THREADS];
        for (int i = 0; i < THREADS; i++) {
            buffers[i] = arena.allocate(BLOCK, BLOCK);
        }
        return new Files() {
            @Override
            public int read(int thread, long offset) throws IOException {
                return io[thread % n].read(handles[thread % n], buffers[thread], offset);
            }

            @Override
            public void close() throws IOException {
                for (int m = 0; m < n; m++) {
                    io[m].close(handles[m]);
                }
                arena.close();
            }
        };
    }

    private static Files channelFiles(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file);
        ByteBuffer[] buffers = new ByteBuffer[THREADS];
        for (int i = 0; i < THREADS; i++) {
            buffers[i] = ByteBuffer.allocateDirect(BLOCK);
        }
        return new Files() {
            @Override
            public int read(int thread, long offset) throws IOException {
                return channel.read(buffers[thread].clear(), offset);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    private static Trial fileRun(String workload, String contender, Files files, long[] offsets, Duration duration)
            throws Exception {
        try (files) {
            long[] counts = new long[THREADS * 8]; // one counter per thread, 64 bytes apart
            return runThreads(workload, contender, duration, counts, (thread, deadline) -> {
                int next = thread * 1021;
                long n = 0;
                while (System.nanoTime() < deadline) {
                    if (files.read(thread, offsets[next & (offsets.length - 1)]) != BLOCK) {
                        throw new IOException("a short read");
                    }
                    next++;
                    n++;
                }
                counts[thread * 8] = n;
            });
        }
    }

    // -------------------------------------------------------------------------------------------- sockets

    /** Connected pairs; end {@code i} of side {@code client} sends or receives one message. */
    private interface Links extends AutoCloseable {
        void send(int pair, boolean client) throws IOException;

        /** Receives one whole message; false at the end of the stream. */
        boolean receive(int pair, boolean client) throws IOException;

        /** Closes the client end of a pair, so that its server end sees the end of the stream. */
        void closeClient(int pair) throws IOException;

        @Override
        void close() throws IOException;
    }

    static List<Contender> pingPong(String workload, List<AioProvider> adapters, Duration duration) {
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            for (int loops : loopCounts()) {
                String name = nameOf(a, loops);
                contenders.add(new Runner(name, a, loops,
                        members -> pingPongRun(workload, name, aioLinks(members), duration)));
            }
        }
        contenders.add(new Runner("SocketChannel", null, 0,
                ops -> pingPongRun(workload, "SocketChannel", channelLinks(), duration)));
        return contenders;
    }

    /** Pair {@code i} lives on member {@code i % members}: its listener, both its ends and their buffers. */
    private static Links aioLinks(List<AioOperations> members) throws Exception {
        int n = members.size();
        AioBlocking[] io = new AioBlocking[THREADS];
        int[] clients = new int[THREADS];
        int[] servers = new int[THREADS];
        for (int m = 0; m < n; m++) {
            AioOperations ops = members.get(m);
            AioBlocking blocking = new AioBlocking(ops);
            int listener = blocking.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), THREADS);
            InetSocketAddress address = (InetSocketAddress) ops.localAddress(listener);
            int member = m;
            int[] accepted = new int[THREADS];
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = member; i < THREADS; i += n) {
                        accepted[i] = blocking.accept(listener);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = m; i < THREADS; i += n) {
                io[i] = blocking;
                clients[i] = blocking.connect(address);
            }
            acceptor.join();
            blocking.close(listener);
            // Accepted in connect order on loopback is not promised: pairs are matched by their addresses.
            matchPairs(ops, m, n, clients, accepted, servers);
        }
        Arena arena = Arena.ofShared();
        MemorySegment[] buffers = new MemorySegment[2 * THREADS];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = arena.allocate(MESSAGE);
        }
        return new Links() {
            @Override
            public void send(int pair, boolean client) throws IOException {
                io[pair].writeFully(client ? clients[pair] : servers[pair], buffers[2 * pair + (client ? 0 : 1)],
                        STREAM);
            }

            @Override
            public boolean receive(int pair, boolean client) throws IOException {
                return io[pair].readFully(client ? clients[pair] : servers[pair],
                        buffers[2 * pair + (client ? 0 : 1)], STREAM) == MESSAGE;
            }

            @Override
            public void closeClient(int pair) throws IOException {
                io[pair].close(clients[pair]);
            }

            @Override
            public void close() throws IOException {
                for (int i = 0; i < THREADS; i++) {
                    io[i].close(servers[i]);
                }
                arena.close();
            }
        };
    }

    /** Sets {@code servers[i]} to the accepted end whose peer is {@code clients[i]}, for the pairs of member m. */
    private static void matchPairs(AioOperations ops, int m, int n, int[] clients, int[] accepted, int[] servers)
            throws IOException {
        java.util.Map<java.net.SocketAddress, Integer> byPeer = new java.util.HashMap<>();
        for (int i = m; i < THREADS; i += n) {
            byPeer.put(ops.remoteAddress(accepted[i]), accepted[i]);
        }
        for (int i = m; i < THREADS; i += n) {
            servers[i] = byPeer.get(ops.localAddress(clients[i]));
        }
    }

    private static Links channelLinks() throws IOException {
        SocketChannel[] clients = new SocketChannel[THREADS];
        SocketChannel[] servers = new SocketChannel[THREADS];
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), THREADS);
            for (int i = 0; i < THREADS; i++) {
                clients[i] = SocketChannel.open(listener.getLocalAddress());
                servers[i] = listener.accept();
            }
        }
        ByteBuffer[] buffers = new ByteBuffer[2 * THREADS];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(MESSAGE);
        }
        return new Links() {
            @Override
            public void send(int pair, boolean client) throws IOException {
                ByteBuffer b = buffers[2 * pair + (client ? 0 : 1)].clear();
                SocketChannel ch = client ? clients[pair] : servers[pair];
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }

            @Override
            public boolean receive(int pair, boolean client) throws IOException {
                ByteBuffer b = buffers[2 * pair + (client ? 0 : 1)].clear();
                SocketChannel ch = client ? clients[pair] : servers[pair];
                while (b.hasRemaining()) {
                    if (ch.read(b) < 0) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void closeClient(int pair) throws IOException {
                clients[pair].close();
            }

            @Override
            public void close() throws IOException {
                for (SocketChannel s : servers) {
                    s.close();
                }
            }
        };
    }

    private static Trial pingPongRun(String workload, String contender, Links links, Duration duration)
            throws Exception {
        try (links) {
            List<Thread> servers = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < THREADS; i++) {
                int pair = i;
                servers.add(Thread.ofVirtual().start(() -> {
                    try {
                        while (links.receive(pair, false)) {
                            links.send(pair, false);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            long[] counts = new long[THREADS * 8];
            Trial trial = runThreads(workload, contender, duration, counts, (pair, deadline) -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    links.send(pair, true);
                    if (!links.receive(pair, true)) {
                        throw new IOException("the server end closed");
                    }
                    n++;
                }
                counts[pair * 8] = n;
                links.closeClient(pair);
            });
            for (Thread t : servers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a server end failed", failure.get());
            }
            return trial;
        }
    }

    // ---------------------------------------------------------------------------------------------- common

    /** The body of one virtual thread: works until the deadline and stores its count. */
    @FunctionalInterface
    private interface Body {
        void run(int thread, long deadline) throws Exception;
    }

    /** Starts {@value #THREADS} virtual threads at once and measures them until the last one is done. */
    private static Trial runThreads(String workload, String contender, Duration duration, long[] counts, Body body)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            int thread = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    body.run(thread, deadline[0]);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Trial trial;
        try (CarrierPeak ignored = CarrierPeak.watch(workload, contender)) {
            trial = Trial.measure(() -> {
                deadline[0] = System.nanoTime() + duration.toNanos();
                go.countDown(); // publishes the deadline to every thread
                for (Thread t : threads) {
                    t.join();
                }
                long total = 0;
                for (int i = 0; i < THREADS; i++) {
                    total += counts[i * 8];
                }
                return new Trial.Outcome(total, 0);
            });
        }
        if (failure.get() != null) {
            throw new IllegalStateException(contender + " failed", failure.get());
        }
        return trial;
    }

    /** A trial on the members of a group of an adapter (one lone instance, or none for the JDK's channels). */
    @FunctionalInterface
    private interface TrialOn {
        Trial run(List<AioOperations> members) throws Exception;
    }

    /** The loop counts each adapter runs with: one, and one per core (an {@link AioGroup}). */
    private static int[] loopCounts() {
        int cores = CarrierPeak.parallelism();
        return cores > 1 ? new int[] {1, cores} : new int[] {1};
    }

    private static String nameOf(AioProvider provider, int loops) {
        return AdapterContender.nameOf(provider) + (loops == 1 ? "" : " ×" + loops + " loops");
    }

    /** A contender that opens its adapter (if any) once, alone or as a group, and runs a trial on it. */
    private static final class Runner implements Contender {
        private final String name;
        private final AioProvider provider;
        private final int loops;
        private final TrialOn trial;
        private final List<AioOperations> members = new ArrayList<>();
        private AutoCloseable opened;

        Runner(String name, AioProvider provider, int loops, TrialOn trial) {
            this.name = name;
            this.provider = provider;
            this.loops = loops;
            this.trial = trial;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailable() {
            return provider == null ? null : AdapterContender.unavailable(provider);
        }

        @Override
        public Trial run() throws Exception {
            if (provider != null && opened == null) {
                AioConfig config = AioConfig.builder().queueDepth(1024).build();
                if (loops == 1) {
                    AioOperations ops = provider.open(config);
                    members.add(ops);
                    opened = ops;
                } else {
                    AioGroup group = provider.openGroup(config, loops);
                    members.addAll(group.members());
                    opened = group;
                }
            }
            return trial.run(members);
        }

        @Override
        public void close() throws Exception {
            if (opened != null) {
                opened.close();
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
