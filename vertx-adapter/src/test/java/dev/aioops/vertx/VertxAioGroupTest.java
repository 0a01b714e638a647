package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.tck.AioCompletionTally;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Groups on Vert.x, in both modes: one member per event loop of a Vert.x instance, completions on the member's
 * own context, each shared-ring member on its own loop's ring; a group over the application's Vert.x closes with
 * it, a group of the provider closes the Vert.x instance it opened once its last member has closed.
 */
class VertxAioGroupTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private static Transport transport(String name) {
        Transport t = "io_uring".equals(name) ? Transport.IO_URING : Transport.NIO;
        assumeTrue(t.available(), () -> name + " is not available: " + t.unavailabilityCause());
        return t;
    }

    private static VertxAioMode modeOf(String transport) {
        return "io_uring".equals(transport) ? VertxAioMode.SHARED_RING : VertxAioMode.NATIVE;
    }

    private static Vertx vertx(Transport transport, int eventLoops) {
        return Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).withTransport(transport)
                .build();
    }

    private static void close(Vertx vertx) throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void oneMemberPerEventLoopCompletingOnItsOwnContext(String name) throws Exception {
        Vertx vertx = vertx(transport(name), 3);
        try (AioGroup group = VertxAio.openGroup(vertx, AioConfig.defaults())) {
            assertThat(group.size()).isEqualTo(3);
            assertThat(group.adapterName()).isEqualTo(VertxAioProvider.NAME);
            Set<EventLoop> loops = new HashSet<>();
            for (int i = 0; i < group.size(); i++) {
                VertxAioOperations member = (VertxAioOperations) group.member(i);
                assertThat(member.mode()).isEqualTo(modeOf(name));
                assertThat(member.context().owner()).isSameAs(vertx);
                loops.add(((ContextInternal) member.context()).nettyEventLoop());
                assertCompletesOnItsContext(member);
            }
            Set<EventLoop> all = new HashSet<>();
            ((VertxInternal) vertx).nettyEventLoopGroup().forEach(e -> all.add((EventLoop) e));
            assertThat(loops).as("the members' event loops").hasSize(3).isEqualTo(all);
        } finally {
            close(vertx);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void closingTheApplicationsVertxClosesTheGroupsMembers(String name) throws Exception {
        Vertx vertx = vertx(transport(name), 2);
        AioGroup group = VertxAio.openGroup(vertx);
        List<AioCompletionTally> tallies = group.members().stream().map(m -> new AioCompletionTally(m, 1)).toList();
        for (int i = 0; i < group.size(); i++) {
            group.member(i).timeout(HOUR, 0, tallies.get(i));
        }
        close(vertx);
        for (AioCompletionTally t : tallies) {
            t.markClosed();
            assertThat(t.pending()).as("timeouts still pending after the Vert.x instance closed").isZero();
            assertThat(t.result(0)).isEqualTo(-AioErrno.ECANCELED);
            assertThat(t.duplicates()).isZero();
        }
        for (AioOperations m : group.members()) {
            assertThatThrownBy(() -> m.execute(() -> { })).isInstanceOf(IllegalStateException.class);
        }
        group.close();
        for (AioCompletionTally t : tallies) {
            assertThat(t.late()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void closingTheGroupLeavesTheApplicationsVertxRunning(String name) throws Exception {
        Vertx vertx = vertx(transport(name), 2);
        try {
            VertxAio.openGroup(vertx).close();
            CountDownLatch ran = new CountDownLatch(1);
            vertx.runOnContext(v -> ran.countDown());
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(((VertxInternal) vertx).nettyEventLoopGroup().isShuttingDown()).isFalse();
        } finally {
            close(vertx);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void theProvidersGroupOwnsOneVertxThatItsLastMemberCloses(String name) throws Exception {
        AioGroup group = new VertxAioProvider(transport(name)).openGroup(AioConfig.defaults(), 2);
        VertxAioOperations first = (VertxAioOperations) group.member(0);
        Vertx vertx = first.context().owner();
        assertThat(((VertxAioOperations) group.member(1)).context().owner()).isSameAs(vertx);
        assertThat(first.mode()).isEqualTo(modeOf(name));
        EventLoopGroup loops = ((VertxInternal) vertx).nettyEventLoopGroup();
        first.close();
        assertThat(loops.isShuttingDown()).as("closed by one member of two").isFalse();
        assertCompletesOnItsContext((VertxAioOperations) group.member(1));
        group.close();
        assertThat(loops.isTerminated()).as("the event loops after the group's close").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void theProvidersGroupClosedFromAMembersLoopClosesItsVertx(String name) throws Exception {
        AioGroup group = new VertxAioProvider(transport(name)).openGroup(AioConfig.defaults(), 2);
        EventLoopGroup loops = ((VertxInternal) ((VertxAioOperations) group.member(0)).context().owner())
                .nettyEventLoopGroup();
        CountDownLatch closed = new CountDownLatch(1);
        group.execute(0, () -> {
            group.close();
            closed.countDown();
        });
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
        // The closing loop cannot wait for its own end: the Vert.x instance ends shortly after.
        assertThat(loops.awaitTermination(30, TimeUnit.SECONDS)).as("the event loops terminated").isTrue();
        group.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void theLastShareLetGoOnAnEventLoopOfTheVertxClosesItWithoutWaitingForThatLoop(String name) throws Exception {
        // A long close timeout: waiting on the loop for the Vert.x instance to end would block it for 25 s.
        AioConfig config = AioConfig.builder().closeTimeout(Duration.ofSeconds(20)).build();
        AioGroup group = new VertxAioProvider(transport(name)).openGroup(config, 2);
        VertxAioOperations first = (VertxAioOperations) group.member(0);
        EventLoopGroup loops = ((VertxInternal) first.context().owner()).nettyEventLoopGroup();
        first.close();
        CountDownLatch closed = new CountDownLatch(1);
        // Still member 0's event loop: closing the group there closes member 1, the last share.
        first.context().runOnContext(v -> {
            group.close();
            closed.countDown();
        });
        assertThat(closed.await(15, TimeUnit.SECONDS)).as("the group's close on an event loop returned").isTrue();
        assertThat(loops.awaitTermination(30, TimeUnit.SECONDS)).as("the event loops terminated").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "io_uring"})
    @Timeout(60)
    void hostDrivenIsRefused(String name) throws Exception {
        Transport t = transport(name);
        AioConfig hostDriven = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        assertThatThrownBy(() -> new VertxAioProvider(t).openGroup(hostDriven, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OWN_THREAD");
        Vertx vertx = vertx(t, 1);
        try {
            assertThatThrownBy(() -> VertxAio.openGroup(vertx, hostDriven))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OWN_THREAD");
        } finally {
            close(vertx);
        }
    }

    /** A timeout on {@code member} completes on the member's context, which is current there. */
    private static void assertCompletesOnItsContext(VertxAioOperations member) throws InterruptedException {
        AtomicReference<Context> current = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        member.timeout(Duration.ofMillis(1).toNanos(), null, (r, a) -> {
            current.set(member.inLoop() ? Vertx.currentContext() : null);
            done.countDown();
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(current.get()).as("the context current in the completion").isSameAs(member.context());
    }
}
