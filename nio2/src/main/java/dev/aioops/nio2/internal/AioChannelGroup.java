package dev.aioops.nio2.internal;

import dev.aioops.spi.AioOperations;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AsynchronousChannelGroup} whose threads are the loops of aioops instances: the members of an
 * {@link dev.aioops.spi.AioGroup}, or one {@link AioOperations}. Each channel opened in the group is bound to one
 * member, chosen round-robin, and its completion handlers run on that member's loop; a connection accepted by a
 * server channel stays on the server channel's member (its handle belongs to that member).
 *
 * <p><b>Life cycle</b>, as the JDK's: {@link #shutdown()} refuses new channels and the group terminates once every
 * channel is closed (and the operations of each have completed); {@link #shutdownNow()} also closes every channel.
 * At termination the group closes the aioops instances it opened itself (those of
 * {@link dev.aioops.nio2.AioChannelProvider}); instances the application handed in stay the application's to close.
 * Thread-safe.
 */
public final class AioChannelGroup extends AsynchronousChannelGroup {

    private final List<AioOperations> members;
    private final AutoCloseable ownedLoops;
    private final ExecutorService executor;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Closeable> channels = ConcurrentHashMap.newKeySet();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean shutdown;
    private int open;

    /**
     * A group over {@code members}.
     *
     * @param provider   the provider that made it
     * @param members    the aioops instances, at least one
     * @param ownedLoops what to close at termination (the members' group), or null when the caller owns them
     * @param executor   an executor the group was given, shut down at termination, or null
     */
    public AioChannelGroup(AsynchronousChannelProvider provider, List<AioOperations> members,
                           AutoCloseable ownedLoops, ExecutorService executor) {
        super(provider);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a channel group needs at least one aioops instance");
        }
        this.members = List.copyOf(members);
        this.ownedLoops = ownedLoops;
        this.executor = executor;
    }

    /** The member the next channel is bound to, round-robin. */
    AioOperations nextMember() {
        int n = members.size();
        return n == 1 ? members.getFirst() : members.get(Math.floorMod(next.getAndIncrement(), n));
    }

    /** Whether the members' adapter supports a capability (every member is of one adapter). */
    boolean supports(dev.aioops.spi.AioCapability capability) {
        return members.getFirst().supports(capability);
    }

    /**
     * A member the calling thread may wait for: the next one whose loop is not the caller.
     *
     * @param what the channel method that waits, for the message
     * @throws IllegalStateException when the caller is the loop of the only member
     */
    AioOperations memberToWaitFor(String what) {
        for (int i = 0; i < members.size(); i++) {
            AioOperations m = nextMember();
            if (!m.inLoop()) {
                return m;
            }
        }
        Await.refuseOnLoop(members.getFirst(), what);
        return members.getFirst();
    }

    /** Counts a new channel in; refused once the group is shut down. */
    void register(Closeable channel) {
        synchronized (lock) {
            if (shutdown) {
                throw new ShutdownChannelGroupException();
            }
            open++;
        }
        channels.add(channel);
    }

    /** Counts a channel out once it is closed and its operations have completed. */
    void deregister(Closeable channel) {
        channels.remove(channel);
        boolean last;
        synchronized (lock) {
            open--;
            last = shutdown && open == 0;
        }
        if (last) {
            terminate();
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public void shutdown() {
        boolean now;
        synchronized (lock) {
            if (shutdown) {
                return;
            }
            shutdown = true;
            now = open == 0;
        }
        if (now) {
            terminate();
        }
    }

    @Override
    public void shutdownNow() throws IOException {
        shutdown();
        for (Closeable c : channels) {
            c.close();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /**
     * Closes what the group owns. Termination may come from a completion handler on a member's loop, which cannot
     * wait for its own instance to close, so the closing runs on a thread of its own.
     */
    private void terminate() {
        if (ownedLoops == null && executor == null) {
            terminated.countDown();
            return;
        }
        Thread.ofPlatform().name("aioops-nio2-group-close").daemon().start(() -> {
            try {
                if (ownedLoops != null) {
                    ownedLoops.close();
                }
            } catch (Exception e) {
                System.getLogger("dev.aioops").log(System.Logger.Level.WARNING,
                        "aioops: closing the loops of a terminated channel group failed", e);
            } finally {
                if (executor != null) {
                    executor.shutdown();
                }
                terminated.countDown();
            }
        });
    }
}
