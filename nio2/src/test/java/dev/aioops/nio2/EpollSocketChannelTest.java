package dev.aioops.nio2;

/** {@link SocketChannelBehaviour} on aioops's channels on the epoll adapter. */
class EpollSocketChannelTest extends SocketChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.epoll();
    }
}
