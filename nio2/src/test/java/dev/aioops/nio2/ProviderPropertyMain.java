package dev.aioops.nio2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Plain NIO.2 code, unaware of aioops, run by {@link ProviderPropertyTest} in a JVM started with the JDK's provider
 * property: prints the classes it got and what it received.
 */
public final class ProviderPropertyMain {

    private ProviderPropertyMain() {
    }

    /**
     * Echoes "ping" over loopback with channels of the default group, then opens and shuts down a group.
     *
     * @param args none
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel peer = accepted.get(10, TimeUnit.SECONDS)) {
                client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(4);
                while (in.hasRemaining()) {
                    peer.read(in).get(10, TimeUnit.SECONDS);
                }
                System.out.println("provider=" + AsynchronousChannelProvider.provider().getClass().getName());
                System.out.println("client=" + client.getClass().getName());
                System.out.println("received=" + new String(in.array(), StandardCharsets.US_ASCII));
            }
        }
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, Thread::new);
        System.out.println("group=" + group.getClass().getName());
        group.shutdown();
        System.out.println("terminated=" + group.awaitTermination(10, TimeUnit.SECONDS));
    }
}
