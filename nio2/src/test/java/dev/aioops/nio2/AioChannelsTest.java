package dev.aioops.nio2;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What aioops's channels add to or refuse beyond the JDK's: a group on one instance, the waits refused on the loop
 * they would wait for, groups of other providers refused; on every adapter configuration.
 */
@Timeout(60)
class AioChannelsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.nio2.Implementations#adapters")
    void aGroupOnOneInstanceRunsEveryHandlerOnItsLoopAndRefusesWaitsThere(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(AioConfig.defaults())) {
            AsynchronousChannelGroup group = AioChannels.openGroup(ops);
            assertThat(group.provider()).isSameAs(AioChannels.provider());
            try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group)) {
                CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
                CompletableFuture<Throwable> refused = new CompletableFuture<>();
                server.accept(null, new java.nio.channels.CompletionHandler<AsynchronousSocketChannel, Object>() {
                    @Override
                    public void completed(AsynchronousSocketChannel peer, Object att) {
                        onLoop.complete(ops.inLoop());
                        try (AsynchronousServerSocketChannel other = AsynchronousServerSocketChannel.open(group)) {
                            other.bind(null);
                            refused.complete(null);
                        } catch (Throwable t) {
                            refused.complete(t);
                        }
                        try {
                            peer.close();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void failed(Throwable exc, Object att) {
                        onLoop.completeExceptionally(exc);
                    }
                });
                client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
                assertThat(onLoop.get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("wait forever");
            }
            group.shutdown();
            assertThat(group.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ops.inLoop()).isFalse(); // the instance stays the caller's, still open
            ops.execute(() -> { });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.nio2.Implementations#adapters")
    void aFileChannelsSizeOnItsOwnLoopIsRefusedWithAMessage(AioProvider adapter) throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[3]);
        try (AioOperations ops = adapter.open(AioConfig.defaults());
             AsynchronousFileChannel ch = AioFileChannels.open(ops, file, StandardOpenOption.READ)) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            ch.read(ByteBuffer.allocate(3), 0, null, new java.nio.channels.CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer n, Object att) {
                    try {
                        ch.size();
                        refused.complete(null);
                    } catch (Throwable t) {
                        refused.complete(t);
                    }
                }

                @Override
                public void failed(Throwable exc, Object att) {
                    refused.complete(exc);
                }
            });
            assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            assertThat(ch.size()).isEqualTo(3);
        }
    }

    @Test
    void aGroupOfAnotherProviderIsRefused() throws Exception {
        AsynchronousChannelGroup jdk = AsynchronousChannelGroup.withFixedThreadPool(1, Thread::new);
        try {
            assertThatThrownBy(() -> AioChannels.provider().openAsynchronousSocketChannel(jdk))
                    .isInstanceOf(IllegalChannelGroupException.class);
        } finally {
            jdk.shutdownNow();
        }
    }
}
