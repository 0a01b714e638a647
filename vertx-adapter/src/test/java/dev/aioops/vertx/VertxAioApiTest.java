package dev.aioops.vertx;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The provider, the hosting entry points and the future bridge. */
class VertxAioApiTest {

    private static Vertx vertx;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Runs a function on a context and returns its result. */
    private static <T> T onContext(Context context, java.util.function.Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    @Test
    void theServiceLoaderFindsTheProviderUnderItsName() {
        AioProvider provider = Aio.provider("vertx").orElseThrow();
        assertThat(provider).isInstanceOf(VertxAioProvider.class);
        assertThat(provider.priority()).isEqualTo(100);
        assertThat(provider.isAvailable()).isTrue();
        assertThat(provider.unavailabilityCause()).isNull();
    }

    @Test
    @Timeout(60)
    void offAnyContextTheProviderOwnsAVertxInstanceWithoutHostDrivenMode() {
        try (AioOperations ops = new VertxAioProvider().open(AioConfig.defaults())) {
            assertThat(ops.adapterName()).isEqualTo("vertx");
            assertThat(ops.notificationFd()).isEqualTo(-1);
            // Native mode: confined opens through openat2, in every kernel this suite runs on (5.6 and later).
            assertThat(ops.capabilities()).containsExactly(AioCapability.CONFINED_OPEN);
            assertThatThrownBy(() -> ops.runOnce(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runOnce");
            assertThat(((VertxAioOperations) ops).context().owner()).isNotSameAs(vertx);
        }
    }

    @Test
    @Timeout(60)
    void onAnEventLoopContextTheProviderBindsToThatContext() throws Exception {
        Context context = vertx.getOrCreateContext();
        Thread loop = onContext(context, Thread::currentThread);
        AioOperations ops = onContext(context, () -> new VertxAioProvider().open(AioConfig.defaults()));
        try {
            assertThat(((VertxAioOperations) ops).context()).isSameAs(context);
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            ops.timeout(1000, null, (r, a) -> ran.complete(Thread.currentThread()));
            assertThat(ran.get(30, TimeUnit.SECONDS)).isSameAs(loop);
        } finally {
            ops.close();
        }
    }

    @Test
    @Timeout(60)
    void aHandleOfAnotherInstanceIsUnknown() throws Exception {
        try (VertxAioOperations first = VertxAio.open(vertx.getOrCreateContext());
             VertxAioOperations second = VertxAio.open(vertx.getOrCreateContext());
             Arena arena = Arena.ofShared()) {
            VertxAioFutures one = new VertxAioFutures(first);
            VertxAioFutures two = new VertxAioFutures(second);
            int h = await(one.eventfd(3));
            assertThat(second.signal(h, 1)).isFalse();
            assertThatThrownBy(() -> await(two.read(h, arena.allocate(8), AioOperations.STREAM)))
                    .cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.EBADF));
            MemorySegment counter = arena.allocate(8);
            assertThat(await(one.read(h, counter, AioOperations.STREAM))).isEqualTo(8);
            assertThat(counter.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(3);
        }
    }

    @Test
    void forCurrentContextNeedsAContext() {
        assertThatThrownBy(VertxAio::forCurrentContext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no current Vert.x context");
    }

    @Test
    void aWorkerContextIsRefused() {
        Context worker = ((VertxInternal) vertx).createWorkerContext();
        assertThatThrownBy(() -> VertxAio.open(worker)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event-loop context");
    }

    @Test
    void theModeAndItsReasonAreReported() {
        Context context = vertx.getOrCreateContext();
        try (VertxAioOperations ops = VertxAio.open(context)) {
            assertThat(ops.mode()).isEqualTo(VertxAioMode.NATIVE);
            assertThat(VertxAio.modeReason(context)).contains("not io_uring");
        }
    }

    @Test
    @Timeout(60)
    void onAnIoUringEventLoopTheSharedRingIsPickedUnlessNativeIsAskedFor() throws Exception {
        assumeTrue(Transport.IO_URING.available(), "the io_uring transport is not available here");
        Vertx uring = Vertx.builder().withTransport(Transport.IO_URING).build();
        try {
            Context context = uring.getOrCreateContext();
            try (VertxAioOperations ops = VertxAio.open(context)) {
                assertThat(ops.mode()).isEqualTo(VertxAioMode.SHARED_RING);
                assertThat(ops.capabilities()).contains(AioCapability.SHARED_RING, AioCapability.RAW_FD,
                        AioCapability.POOL_FREE_FILE_IO, AioCapability.NATIVE_EVENTFD);
                assertThat(VertxAio.modeReason(context)).contains("own ring");
            }
            System.setProperty(VertxAioOperations.MODE_PROPERTY, "native");
            try (VertxAioOperations ops = VertxAio.open(context)) {
                assertThat(ops.mode()).isEqualTo(VertxAioMode.NATIVE);
                assertThat(ops.capabilities()).containsExactlyInAnyOrder(AioCapability.CONFINED_OPEN,
                        AioCapability.REUSE_PORT);
                assertThat(VertxAio.modeReason(context)).contains("=native");
            } finally {
                System.clearProperty(VertxAioOperations.MODE_PROPERTY);
            }
        } finally {
            await(uring.close());
        }
    }

    @Test
    @Timeout(60)
    void theFutureBridgeSucceedsWithResultsAndFailsWithErrnos() throws Exception {
        Context context = vertx.getOrCreateContext();
        Thread loop = onContext(context, Thread::currentThread);
        try (VertxAioOperations ops = VertxAio.open(context); Arena arena = Arena.ofShared()) {
            VertxAioFutures futures = new VertxAioFutures(ops);
            Path file = tempDir.resolve("futures.txt");
            byte[] text = "composed with futures".getBytes(StandardCharsets.UTF_8);
            MemorySegment out = arena.allocate(text.length);
            MemorySegment.copy(text, 0, out, ValueLayout.JAVA_BYTE, 0, text.length);
            MemorySegment in = arena.allocate(64);
            CompletableFuture<Thread> handlerThread = new CompletableFuture<>();
            Future<Integer> readBack = futures.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE,
                            AioOpenOption.CREATE))
                    .compose(h -> futures.write(h, out, 0)
                            .compose(written -> futures.fsync(h))
                            .compose(synced -> futures.read(h, in, 0))
                            .onSuccess(n -> handlerThread.complete(Thread.currentThread()))
                            .compose(n -> futures.close(h).map(closed -> n)));
            assertThat(await(readBack)).isEqualTo(text.length);
            assertThat(handlerThread.get()).isSameAs(loop);
            assertThat(new String(in.asSlice(0, text.length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8))
                    .isEqualTo("composed with futures");
            assertThat(await(futures.timeout(1000))).isZero();

            Future<Integer> missing = futures.open(tempDir.resolve("missing"), Set.of());
            assertThatThrownBy(() -> await(missing)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ENOENT));
        }
    }
}
