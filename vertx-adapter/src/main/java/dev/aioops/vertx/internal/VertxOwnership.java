package dev.aioops.vertx.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether closing an engine also closes its context's Vert.x instance: not at all (a verticle's or an
 * application's instance), alone (the instance a provider opened for one engine), or as the last of the engines
 * that share it (a group's members, on the event loops of one instance the group opened). Thread-safe.
 */
public final class VertxOwnership {

    /** The Vert.x instance belongs to someone else: no engine closes it. */
    public static final VertxOwnership NONE = new VertxOwnership(0);

    /** Engines that still hold a share; 0 for {@link #NONE}. */
    private final AtomicInteger shares;

    private VertxOwnership(int engines) {
        this.shares = new AtomicInteger(engines);
    }

    /**
     * The ownership of one engine that alone closes the instance.
     *
     * @return a new ownership of one share
     */
    public static VertxOwnership alone() {
        return new VertxOwnership(1);
    }

    /**
     * The ownership that {@code engines} engines share: the instance is closed by the last one that lets go.
     *
     * @param engines how many engines, {@code >= 1}; each must be given this same object
     * @return a new ownership of {@code engines} shares
     */
    public static VertxOwnership sharedBy(int engines) {
        if (engines < 1) {
            throw new IllegalArgumentException("engines must be >= 1, not " + engines);
        }
        return new VertxOwnership(engines);
    }

    /** Whether engines of this ownership close the instance at all. */
    boolean owns() {
        return this != NONE;
    }

    /**
     * An engine lets go of its share (once per engine: the caller ensures it).
     *
     * @return {@code true} if it was the last share, so the caller closes the instance
     */
    boolean release() {
        return shares.decrementAndGet() == 0;
    }
}
