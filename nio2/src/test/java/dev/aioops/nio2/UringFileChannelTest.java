package dev.aioops.nio2;

/** {@link FileChannelBehaviour} on aioops's channels on the uring adapter. */
class UringFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.uring();
    }
}
