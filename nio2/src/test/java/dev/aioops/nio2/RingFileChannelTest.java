package dev.aioops.nio2;

/**
 * {@link FileChannelBehaviour} on aioops's channels on the vertx adapter in the shared-ring mode
 * (Vert.x on its io_uring transport).
 */
class RingFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.vertxRing();
    }
}
