/**
 * The io_uring adapter of aioops: {@link dev.aioops.spi.AioOperations} on Linux io_uring through
 * {@code java.lang.foreign} alone (no JNI, no native library). Needs native access:
 * {@code --enable-native-access=dev.aioops.uring}.
 */
@SuppressWarnings("module") // the qualified export names the Vert.x adapter, which is built after this module
module dev.aioops.uring {
    requires transitive dev.aioops.spi;
    requires dev.aioops.linux;
    requires org.jctools.core;

    exports dev.aioops.uring;
    // The Vert.x adapter's shared-ring mode encodes aioops operations into SQEs of Netty's ring: it gets the
    // narrow package for hosts that own a ring (encoders, kernel ABI, a few libc calls), never the loop's internals.
    exports dev.aioops.uring.ring to dev.aioops.vertx;

    provides dev.aioops.spi.AioProvider with dev.aioops.uring.UringAioProvider;
}
