package dev.aioops.nio2;

/** {@link SocketChannelBehaviour} on aioops's channels on the uring adapter. */
class UringSocketChannelTest extends SocketChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.uring();
    }
}
