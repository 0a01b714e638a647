/**
 * The JDK's asynchronous channel API on aioops: {@link java.nio.channels.AsynchronousSocketChannel},
 * {@link java.nio.channels.AsynchronousServerSocketChannel} and {@link java.nio.channels.AsynchronousFileChannel}
 * backed by an {@link dev.aioops.spi.AioOperations} or an {@link dev.aioops.spi.AioGroup}, so that existing NIO.2
 * code runs on io_uring (or any adapter) unchanged. Entry points: {@link dev.aioops.nio2.AioChannels} (groups),
 * {@link dev.aioops.nio2.AioFileChannels} (files) and {@link dev.aioops.nio2.AioChannelProvider} (the provider the
 * system property {@code java.nio.channels.spi.AsynchronousChannelProvider} can name).
 */
@SuppressWarnings("module") // "nio2" ends in a digit: it names the JDK API it implements (NIO.2)
module dev.aioops.nio2 {
    requires transitive dev.aioops.spi;

    exports dev.aioops.nio2;
}
