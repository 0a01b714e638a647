package dev.aioops.nio2;

/** {@link FileChannelBehaviour} on aioops's channels on the epoll adapter. */
class EpollFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.epoll();
    }
}
