package dev.aioops.nio2;

/**
 * {@link SocketChannelBehaviour} on aioops's channels on the vertx adapter in the shared-ring mode
 * (Vert.x on its io_uring transport).
 */
class RingSocketChannelTest extends SocketChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.vertxRing();
    }
}
