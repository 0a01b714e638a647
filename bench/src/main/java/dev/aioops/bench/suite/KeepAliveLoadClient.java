package dev.aioops.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Java load generator of the HTTP workload, for machines without {@code wrk}: one thread, one NIO selector,
 * {@code connections} keep-alive HTTP/1.1 connections, each sending {@code GET /file} again as soon as the previous
 * response has been read in full. Runs in a JVM of its own (started by {@link JavaLoadGenerator}) so that its CPU
 * is not counted as the server's.
 *
 * <p>Responses are checked, and anything unexpected ends the run with exit status 2: a status other than
 * {@code 200}, no {@code Content-Length} (or {@code Transfer-Encoding}), {@code Connection: close}, a header block
 * over 8 KiB, a body over 16 MiB, bytes after the response (nothing is pipelined), a connection closed by the
 * server.
 *
 * <p>Standard output: {@code measuring} when the warm-up ends and counting starts, {@code measured} when the
 * measured span ends (the requests still in flight are answered after it, uncounted), then
 * {@code requests N nanos M}: the responses completed within the measured span of M nanoseconds.
 */
public final class KeepAliveLoadClient {

    /** Printed when the warm-up is over and responses start to count. */
    static final String MEASURING = "measuring";
    /** Printed when the measured span is over and responses stop counting. */
    static final String MEASURED = "measured";
    /** Starts the result line: {@code requests N nanos M}. */
    static final String REQUESTS = "requests ";

    private static final int MAX_HEAD = 8 * 1024;
    private static final long MAX_BODY = 16L << 20;
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] request;
    private long measureFrom = Long.MAX_VALUE;
    private long measureUntil = Long.MAX_VALUE;
    private long counted;
    private int open;

    private KeepAliveLoadClient(Selector selector, byte[] request) {
        this.selector = selector;
        this.request = request;
    }

    /**
     * Runs the load.
     *
     * @param args host, port, path (such as {@code /4k.txt}), connections, warm-up in milliseconds, measured span
     *             in milliseconds
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
            String path = args[2];
            int count = Integer.parseInt(args[3]);
            long warmup = Long.parseLong(args[4]) * 1_000_000L;
            long span = Long.parseLong(args[5]) * 1_000_000L;
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (Selector selector = Selector.open()) {
                KeepAliveLoadClient client = new KeepAliveLoadClient(selector, request);
                try {
                    client.connect(server, count);
                    long nanos = client.run(warmup, span, out);
                    out.println(REQUESTS + client.counted + " nanos " + nanos);
                } finally {
                    client.closeAll();
                }
            }
        } catch (Exception e) {
            out.println("load generator failed: " + e.getMessage());
            out.flush();
            System.exit(2);
        }
        out.flush();
    }

    private void connect(InetSocketAddress server, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(server);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection c = new Connection(channel);
            connections.add(c);
            c.key = channel.register(selector, SelectionKey.OP_READ, c);
        }
    }

    /** Drives the connections through the warm-up and the measured span; returns the span's length. */
    private long run(long warmup, long span, PrintStream out) throws IOException {
        long start = System.nanoTime();
        long warmEnd = start + warmup;
        long stopSending = warmEnd + span;
        for (Connection c : connections) {
            c.send(request);
        }
        open = connections.size();
        boolean measuring = false;
        boolean measured = false;
        while (open > 0) {
            long now = System.nanoTime();
            if (!measuring && now >= warmEnd) {
                measuring = true;
                measureFrom = now;
                measureUntil = measureFrom + span;
                stopSending = measureUntil;
                say(MEASURING, out);
            }
            if (measuring && !measured && now >= measureUntil) {
                measured = true;
                say(MEASURED, out);
            }
            if (now - stopSending > DRAIN_NANOS) {
                throw new LoadError(open + " connections still wait for a response 10 s after the end");
            }
            long wake = measuring ? Math.max(stopSending, now) : warmEnd;
            selector.select(Math.max(1, Math.min(100, (wake - now) / 1_000_000)));
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                if (key.isWritable()) {
                    c.flush();
                }
                if (key.isReadable()) {
                    c.read(stopSending);
                }
            }
            selector.selectedKeys().clear();
        }
        if (!measured) {
            // The last connections ended within the round that crossed the end of the span.
            say(MEASURED, out);
        }
        return measureUntil - measureFrom;
    }

    /** Prints a progress line at once. */
    private static void say(String line, PrintStream out) {
        out.println(line);
        out.flush();
    }

    private void closeAll() {
        for (Connection c : connections) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing at the end: nothing depends on it
            }
        }
    }

    /** One keep-alive connection: at most one request outstanding, its response parsed as it arrives. */
    private final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        private final byte[] head = new byte[MAX_HEAD];
        private int headLength;
        private long bodyLeft = -1;
        private ByteBuffer pending;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void send(byte[] bytes) throws IOException {
            pending = ByteBuffer.wrap(bytes);
            flush();
        }

        void flush() throws IOException {
            channel.write(pending);
            key.interestOps(pending.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                    : SelectionKey.OP_READ);
        }

        void read(long stopSending) throws IOException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                throw new LoadError("the server closed a keep-alive connection");
            }
            readBuffer.flip();
            while (readBuffer.hasRemaining()) {
                if (bodyLeft < 0) {
                    readHead();
                } else {
                    int skip = (int) Math.min(bodyLeft, readBuffer.remaining());
                    readBuffer.position(readBuffer.position() + skip);
                    bodyLeft -= skip;
                }
                if (bodyLeft == 0) {
                    if (readBuffer.hasRemaining()) {
                        throw new LoadError("bytes after the response, and no request is outstanding");
                    }
                    responseComplete(stopSending);
                }
            }
        }

        /** Takes header bytes up to the blank line; then parses them and sets {@link #bodyLeft}. */
        private void readHead() {
            while (readBuffer.hasRemaining()) {
                if (headLength == MAX_HEAD) {
                    throw new LoadError("a response header block over " + MAX_HEAD + " bytes");
                }
                head[headLength++] = readBuffer.get();
                if (headLength >= 4 && head[headLength - 4] == '\r' && head[headLength - 3] == '\n'
                        && head[headLength - 2] == '\r' && head[headLength - 1] == '\n') {
                    bodyLeft = contentLength(new String(head, 0, headLength - 4, StandardCharsets.ISO_8859_1));
                    return;
                }
            }
        }

        private void responseComplete(long stopSending) throws IOException {
            headLength = 0;
            bodyLeft = -1;
            long now = System.nanoTime();
            if (now >= measureFrom && now < measureUntil) {
                counted++;
            }
            if (now < stopSending) {
                send(request);
            } else {
                key.interestOps(0);
                open--;
            }
        }
    }

    /** The body length of a response whose header block (without the blank line) is {@code head}. */
    static long contentLength(String head) {
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 200 ")) {
            throw new LoadError("response status: " + lines[0]);
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                throw new LoadError("a header line without a colon: " + lines[i]);
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new LoadError("Content-Length: " + value);
                    }
                    if (length < 0 || length > MAX_BODY) {
                        throw new LoadError("Content-Length out of range: " + value);
                    }
                }
                case "transfer-encoding" -> throw new LoadError("Transfer-Encoding is not supported: " + value);
                case "connection" -> {
                    if (value.equalsIgnoreCase("close")) {
                        throw new LoadError("the server closes the keep-alive connection");
                    }
                }
                default -> {
                }
            }
        }
        if (length < 0) {
            throw new LoadError("a response without Content-Length");
        }
        return length;
    }

    /** A response (or connection) the load generator refuses; ends the run. */
    static final class LoadError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoadError(String message) {
            super(message);
        }
    }
}
