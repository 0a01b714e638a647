package dev.aioops.nio2;

import dev.aioops.epoll.EpollAioProvider;
import dev.aioops.uring.UringAioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Existing NIO.2 code runs on aioops unchanged when the JVM names {@link AioChannelProvider} in the JDK's provider
 * property: a JVM of its own (the JDK reads the property once per process) runs {@link ProviderPropertyMain}.
 */
class ProviderPropertyTest {

    @ParameterizedTest
    @ValueSource(strings = {"uring", "epoll"})
    @Timeout(60)
    void plainNio2CodeGetsAioopsChannelsFromThePropertyOnTheChosenAdapter(String adapter) throws Exception {
        boolean available = adapter.equals("uring") ? new UringAioProvider().isAvailable()
                : new EpollAioProvider().isAvailable();
        assumeTrue(available, adapter + " is not available here");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djava.nio.channels.spi.AsynchronousChannelProvider=" + AioChannelProvider.class.getName(),
                "-Daioops.adapter=" + adapter, "-cp", System.getProperty("java.class.path"),
                ProviderPropertyMain.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("provider=" + AioChannelProvider.class.getName())
                .contains("client=dev.aioops.nio2.internal.AioSocketChannel")
                .contains("received=ping")
                .contains("group=dev.aioops.nio2.internal.AioChannelGroup")
                .contains("terminated=true")
                .contains("using adapter '" + adapter + "'");
    }
}
