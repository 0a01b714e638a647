/**
 * The NIO-selector adapter of aioops: one {@link java.nio.channels.Selector} loop with non-blocking sockets,
 * files on a bounded thread pool making the file system calls on raw descriptors, and eventfds emulated in Java.
 * The baseline the other adapters are measured against. Its file calls go through {@code java.lang.foreign}
 * ({@code dev.aioops.linux}), which needs native access: {@code --enable-native-access=dev.aioops.linux}.
 */
module dev.aioops.epoll {
    requires transitive dev.aioops.spi;
    requires dev.aioops.linux;
    requires org.jctools.core;

    exports dev.aioops.epoll;

    provides dev.aioops.spi.AioProvider with dev.aioops.epoll.EpollAioProvider;
}
