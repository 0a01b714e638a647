package dev.aioops.nio2;

/** {@link SocketChannelBehaviour} on aioops's channels on the vertx adapter. */
class VertxSocketChannelTest extends SocketChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.vertx();
    }
}
