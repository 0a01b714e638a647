package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.uring.ring.UringLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The size and setup flags of an instance's ring, derived from its {@link AioConfig}: what an instance sets up,
 * and what the availability probe sets up for the default configuration, so that a kernel (or a memory limit)
 * that refuses the real ring makes io_uring unavailable rather than failing {@code open}. Immutable.
 */
public final class RingSpec {

    /** The most CQ entries the kernel allows ({@code IORING_MAX_CQ_ENTRIES}). */
    static final int MAX_CQ_ENTRIES = 65536;
    /** The least CQ entries an instance asks for: a burst of completions must not overflow a small ring. */
    static final int MIN_CQ_ENTRIES = 4096;
    /** SQPOLL's idle time before its kernel thread sleeps. */
    static final int SQ_IDLE_MS = 1000;

    private final int sqEntries;
    private final int cqEntries;
    private final int[] flagSets;

    private RingSpec(int sqEntries, int cqEntries, int[] flagSets) {
        this.sqEntries = sqEntries;
        this.cqEntries = cqEntries;
        this.flagSets = flagSets;
    }

    /**
     * The ring of a configuration: an SQ of {@link AioConfig#queueDepth()} (at least 2), a CQ at least twice as
     * large (at least 4096, at most 65536), with {@code SINGLE_ISSUER|DEFER_TASKRUN|COOP_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL|R_DISABLED}
     * (TASKRUN_FLAG lets a busy turn skip an enter that would do nothing, see {@link Ring#enterWouldWork}) (or
     * {@code SQPOLL|SUBMIT_ALL} when {@link AioConfig#sqPoll()}), retried without them where the kernel answers
     * {@code EINVAL}.
     *
     * @param config the configuration
     * @return its ring
     */
    public static RingSpec of(AioConfig config) {
        return of(config, 0, null);
    }

    /**
     * As {@link #of(AioConfig)}, with a given CQ size or flag sets, for tests.
     *
     * @param config    the configuration
     * @param cqEntries the CQ size, or 0 for the default
     * @param setup     the {@code IORING_SETUP_*} sets to try in order, or null for the default
     * @return the ring
     */
    public static RingSpec of(AioConfig config, int cqEntries, int[] setup) {
        Objects.requireNonNull(config, "config");
        int sq = Math.max(2, config.queueDepth());
        int cq = cqEntries > 0 ? cqEntries : Math.min(MAX_CQ_ENTRIES, Math.max(2 * sq, MIN_CQ_ENTRIES));
        int[] flagSets = setup != null ? setup.clone() : config.sqPoll()
                ? new int[]{UringLayout.SETUP_SQPOLL | UringLayout.SETUP_SUBMIT_ALL, UringLayout.SETUP_SQPOLL}
                : new int[]{UringLayout.SETUP_SINGLE_ISSUER | UringLayout.SETUP_DEFER_TASKRUN
                        | UringLayout.SETUP_COOP_TASKRUN | UringLayout.SETUP_TASKRUN_FLAG
                        | UringLayout.SETUP_SUBMIT_ALL | UringLayout.SETUP_R_DISABLED, 0};
        return new RingSpec(sq, cq, flagSets);
    }

    /**
     * Sets up this ring.
     *
     * @return the ring; the caller closes it
     * @throws UringException if the kernel refuses it (the errno of the last flag set tried)
     */
    public Ring setup() {
        return Ring.setup(sqEntries, cqEntries, flagSets, SQ_IDLE_MS);
    }

    /**
     * Sets up this ring attached to another ring's io-wq ({@code IORING_SETUP_ATTACH_WQ}).
     *
     * @param wqFd the ring to attach to
     * @return the ring; the caller closes it
     * @throws UringException if the kernel refuses it; {@code EINVAL} or {@code ENXIO} when it refuses the attach
     */
    Ring setupAttached(int wqFd) {
        return Ring.setup(sqEntries, cqEntries, flagSets, SQ_IDLE_MS, false, wqFd);
    }

    /**
     * SQ entries.
     *
     * @return SQ entries
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * CQ entries.
     *
     * @return CQ entries
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * The {@code IORING_SETUP_*} sets tried in order.
     *
     * @return a copy of the flag sets
     */
    public int[] flagSets() {
        return flagSets.clone();
    }

    /**
     * In words, for messages: {@code "a ring of 256 SQ and 4096 CQ entries"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        List<String> sets = new ArrayList<>();
        for (int f : flagSets) {
            sets.add(f == 0 ? "no flags" : "flags 0x" + Integer.toHexString(f));
        }
        return "a ring of " + sqEntries + " SQ and " + cqEntries + " CQ entries (" + String.join(", then ", sets)
                + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RingSpec r && r.sqEntries == sqEntries && r.cqEntries == cqEntries
                && Arrays.equals(r.flagSets, flagSets);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sqEntries + cqEntries) + Arrays.hashCode(flagSets);
    }
}
