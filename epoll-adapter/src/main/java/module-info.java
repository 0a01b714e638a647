/**
 * The NIO-selector adapter of aioops: one {@link java.nio.channels.Selector} loop with non-blocking sockets,
 * files on a bounded thread pool with positional {@link java.nio.channels.FileChannel} I/O, and eventfds
 * emulated in Java. The baseline the other adapters are measured against; available wherever java.nio works.
 */
module dev.aioops.epoll {
    requires transitive dev.aioops.spi;
    requires org.jctools.core;
    // com.sun.nio.file.ExtendedOpenOption.DIRECT, looked up reflectively (O_DIRECT).
    requires jdk.unsupported;

    exports dev.aioops.epoll;

    provides dev.aioops.spi.AioProvider with dev.aioops.epoll.EpollAioProvider;
}
