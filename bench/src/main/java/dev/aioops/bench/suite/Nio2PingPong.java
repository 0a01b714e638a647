package dev.aioops.bench.suite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * TCP ping-pong over loopback written against the JDK's NIO.2 API alone: an echo server in one channel group,
 * {@code connections} clients in another, each with one message of {@code size} bytes in flight, direct buffers,
 * {@code TCP_NODELAY} on. The same code runs on the JDK's channels and on aioops's; only the groups differ.
 */
final class Nio2PingPong implements TcpDriver {

    private final AsynchronousChannelGroup serverGroup;
    private final AsynchronousChannelGroup clientGroup;
    private final int connections;
    private final int size;
    private final List<Client> clients = new ArrayList<>();
    private final List<AsynchronousSocketChannel> opened = new ArrayList<>();
    private AsynchronousServerSocketChannel listener;

    Nio2PingPong(AsynchronousChannelGroup serverGroup, AsynchronousChannelGroup clientGroup, int connections,
                 int size) {
        this.serverGroup = serverGroup;
        this.clientGroup = clientGroup;
        this.connections = connections;
        this.size = size;
    }

    @Override
    public void connect() throws Exception {
        listener = AsynchronousServerSocketChannel.open(serverGroup)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), connections);
        SocketAddress address = listener.getLocalAddress();
        for (int i = 0; i < connections; i++) {
            Future<AsynchronousSocketChannel> accepted = listener.accept();
            AsynchronousSocketChannel ch = AsynchronousSocketChannel.open(clientGroup);
            opened.add(ch);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(address).get(10, TimeUnit.SECONDS);
            AsynchronousSocketChannel peer = accepted.get(10, TimeUnit.SECONDS);
            opened.add(peer);
            peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
            new Echo(peer, ByteBuffer.allocateDirect(Math.max(size, 65536))).readNext();
            clients.add(new Client(ch));
        }
    }

    @Override
    public long run(long durationNanos) throws Exception {
        return TcpClient.runAll(clients, durationNanos, Runnable::run);
    }

    @Override
    public void close() throws IOException {
        for (AsynchronousSocketChannel ch : opened) {
            ch.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    /** Echoes what it reads until the client closes. */
    private static final class Echo implements CompletionHandler<Integer, Boolean> {
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer buffer;

        Echo(AsynchronousSocketChannel ch, ByteBuffer buffer) {
            this.ch = ch;
            this.buffer = buffer;
        }

        void readNext() {
            ch.read(buffer.clear(), Boolean.TRUE, this);
        }

        /** {@code reading}: whether a read or a write completed. */
        @Override
        public void completed(Integer n, Boolean reading) {
            if (reading && n < 0) {
                failed(null, reading);
                return;
            }
            if (reading) {
                buffer.flip();
            }
            if (buffer.hasRemaining()) {
                ch.write(buffer, Boolean.FALSE, this);
            } else {
                readNext();
            }
        }

        @Override
        public void failed(Throwable exc, Boolean reading) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** Sends a message, waits for all of its echo, repeats until the deadline. */
    private final class Client implements TcpClient {
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer out = ByteBuffer.allocateDirect(size);
        private final ByteBuffer in = ByteBuffer.allocateDirect(size);
        private final CompletionHandler<Integer, Void> onWritten = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                if (out.hasRemaining()) {
                    ch.write(out, null, this);
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                fail(exc);
            }
        };
        private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                if (n < 0) {
                    fail(new IOException("the echo server closed the connection"));
                } else if (in.hasRemaining()) {
                    ch.read(in, null, this);
                } else {
                    roundTrips++;
                    if (System.nanoTime() < deadline) {
                        send();
                    } else {
                        done.countDown();
                    }
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                fail(exc);
            }
        };
        private volatile long deadline;
        private volatile CountDownLatch done;
        private long roundTrips;
        private volatile Throwable error;

        Client(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void start(long until, CountDownLatch latch) {
            deadline = until;
            done = latch;
            roundTrips = 0;
            send();
        }

        private void send() {
            ch.write(out.clear(), null, onWritten);
            ch.read(in.clear(), null, onRead);
        }

        private void fail(Throwable exc) {
            if (error == null) {
                error = exc;
                done.countDown();
            }
        }

        @Override
        public long work() throws Exception {
            if (error != null) {
                throw new IOException("ping-pong failed", error);
            }
            return roundTrips;
        }
    }
}
