package dev.aioops.nio2;

/** {@link SocketChannelBehaviour} on the JDK's own channels. */
class JdkSocketChannelTest extends SocketChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.jdk();
    }
}
