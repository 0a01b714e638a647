package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that owns its Vert.x instance leaves no non-daemon thread behind once close() has returned, so that a
 * {@code main} that closes it exits at once (Netty's global executor used to linger for its quiet period).
 */
class ThreadsEndWithCloseTest {

    private static final String PROPERTY = "aioops.vertx.awaitGlobalExecutor";

    /** The build turns the wait off for the suite's many short-lived instances (see the pom); on here. */
    @BeforeAll
    static void waitForNettysGlobalExecutorAsByDefault() {
        System.setProperty(PROPERTY, "true");
    }

    @AfterAll
    static void restoreTheBuildsSetting() {
        System.setProperty(PROPERTY, "false");
    }

    @Test
    @Timeout(60)
    void noThreadStartedForAnOwnedVertxOutlivesClose() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        AioOperations ops = new VertxAioProvider(Transport.NIO).open(AioConfig.defaults());
        AioCompletionRecorder<Object> listened = new AioCompletionRecorder<>(ops);
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, null, listened);
        int listener = listened.await();
        AioCompletionRecorder<Object> accepted = new AioCompletionRecorder<>(ops);
        ops.accept(listener, null, accepted);
        AioCompletionRecorder<Object> connected = new AioCompletionRecorder<>(ops);
        ops.connect(ops.localAddress(listener), null, connected);
        assertThat(connected.await()).isPositive();
        assertThat(accepted.await()).isPositive();

        ops.close();

        List<String> alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .toList();
        assertThat(alive).as("non-daemon threads alive when close() returned").isEmpty();
    }
}
