package dev.aioops.nio2;

/** {@link FileChannelBehaviour} on aioops's channels on the uring adapter. */
class UringFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest open() throws Exception {
        return Implementations.uring();
    }
}
