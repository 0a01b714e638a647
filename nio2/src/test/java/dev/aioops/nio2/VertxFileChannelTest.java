package dev.aioops.nio2;

/** {@link FileChannelBehaviour} on aioops's channels on the vertx adapter. */
class VertxFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.vertx();
    }
}
