package dev.aioops.vertx.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When an engine closes the Vert.x instance it owns, and what it waits for. Normally at the end of the engine's
 * close; after a close that timed out with operations still held by the kernel or a file thread, only once the
 * last of them has come back, since their completions run on that instance's event loop. The engines of a group
 * share one instance ({@link VertxOwnership#sharedBy}): the last of them to get there closes it. Thread-safe.
 */
final class OwnedVertx {

    /** {@code false} skips waiting for Netty's global executor thread (about a second per owned instance). */
    static final String AWAIT_GLOBAL_EXECUTOR = "aioops.vertx.awaitGlobalExecutor";

    private final Vertx vertx;
    private final VertxOwnership ownership;
    private final Duration closeTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Operations are still held after a close that timed out. Guarded by {@code this}. */
    private boolean held;
    /** A close of the instance waits for them. Guarded by {@code this}. */
    private boolean closeWhenLetGo;

    OwnedVertx(Vertx vertx, VertxOwnership ownership, Duration closeTimeout) {
        this.vertx = vertx;
        this.ownership = ownership;
        this.closeTimeout = closeTimeout;
    }

    /** Loop, before closing ends: operations are held past the close. */
    synchronized void operationsHeld() {
        held = true;
    }

    /** Whether operations are held past the close. */
    synchronized boolean isHeld() {
        return held;
    }

    /** Loop: the last held operation has come back; closes the instance if a close was waiting for that. */
    void letGo() {
        boolean close;
        synchronized (this) {
            held = false;
            close = closeWhenLetGo;
            closeWhenLetGo = false;
        }
        if (close && release()) {
            vertx.close();
        }
    }

    /** Whether the close must wait for held operations; if so, {@link #letGo()} does it. */
    private synchronized boolean deferred() {
        if (held) {
            closeWhenLetGo = true;
        }
        return held;
    }

    /** Lets go of this engine's share, once: whether the caller closes the instance (it was the last share). */
    private boolean release() {
        return closed.compareAndSet(false, true) && ownership.release();
    }

    private boolean onAnEventLoopOfTheInstance() {
        for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** On the instance's own event loop: closes it without waiting (or once held operations have come back). */
    void closeFromLoop() {
        if (ownership.owns() && !deferred() && release()) {
            vertx.close();
        }
    }

    /**
     * Off the event loop: closes the instance and waits (bounded) for it, and for Netty's global executor, whose
     * thread (not a daemon) is started by the event loops' termination and lingers for a second after its last
     * task: so that no thread the instance caused outlives the engine's close, and a {@code main} that closes
     * everything exits at once.
     */
    void closeAndWait() {
        if (!ownership.owns() || deferred() || !release()) {
            return;
        }
        if (onAnEventLoopOfTheInstance()) {
            // A group member closing the last other member from its loop: that loop must end too, so no waiting.
            vertx.close();
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(closeTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            if (Boolean.parseBoolean(System.getProperty(AWAIT_GLOBAL_EXECUTOR, "true"))) {
                GlobalEventExecutor.INSTANCE.awaitInactivity(closeTimeout.toMillis() + 2_000,
                        TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            ContextEngine.LOG.log(Level.WARNING, "closing the Vert.x instance of an aioops adapter failed", e);
        }
    }
}
