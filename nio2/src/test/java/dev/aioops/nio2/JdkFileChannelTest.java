package dev.aioops.nio2;

/** {@link FileChannelBehaviour} on the JDK's own channels. */
class JdkFileChannelTest extends FileChannelBehaviour {

    @Override
    ChannelsUnderTest.Backend backend() {
        return Implementations.jdk();
    }
}
