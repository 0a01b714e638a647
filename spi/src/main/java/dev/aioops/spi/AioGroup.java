package dev.aioops.spi;

import java.util.List;

/**
 * A fixed set of loops opened together from one configuration, one per core by default: what Netty calls an
 * {@code EventLoopGroup} and Vert.x its event-loop pool. Each member is an ordinary, independent
 * {@link AioOperations} with a loop thread of its own; a library handed a member needs no change. Handles are
 * scoped to the member that made them, as always: a handle of one member means nothing to another.
 *
 * <p>What a group adds over members opened one by one depends on the adapter and is said by its provider: on
 * io_uring the members' rings share one pool of kernel workers ({@code IORING_SETUP_ATTACH_WQ}), and a task that
 * one member's loop passes to another member travels through the ring ({@code IORING_OP_MSG_RING}) rather than
 * an eventfd write; on Vert.x a group has one member per event-loop context of the {@code Vertx} instance.
 *
 * <p>Open one with {@link Aio#openGroup()} or {@link AioProvider#openGroup(AioConfig, int)}. All methods are
 * thread-safe.
 */
public interface AioGroup extends AutoCloseable {

    /**
     * The name of the adapter every member belongs to, as {@link AioOperations#adapterName()}.
     *
     * @return the adapter name
     */
    String adapterName();

    /**
     * How many members the group has; fixed for its life.
     *
     * @return the size, {@code >= 1}
     */
    int size();

    /**
     * The member at {@code index}.
     *
     * @param index from 0 to {@code size() - 1}
     * @return the member
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    AioOperations member(int index);

    /**
     * Every member, in index order.
     *
     * @return an unmodifiable list of {@link #size()} members
     */
    List<AioOperations> members();

    /**
     * The next member in round-robin order, for spreading connections or work over the loops.
     *
     * @return a member
     */
    AioOperations next();

    /**
     * The member whose loop is running the calling thread, so that a completion can keep related work on its own
     * loop.
     *
     * @return the member, or {@code null} when the caller is on none of the members' loops
     */
    AioOperations current();

    /**
     * The sum of the members' {@link AioOperations#stats()}, counter by counter; ask a member for its own. Any
     * thread; as stale as the members' snapshots.
     *
     * @return the sum over every member
     */
    default AioStats stats() {
        return AioStats.sum(adapterName(), members().stream().map(AioOperations::stats).toList());
    }

    /**
     * Runs {@code task} on the loop of member {@code index}: {@link AioOperations#execute(Runnable)} on that
     * member, with its ordering (tasks from one thread to one member run in the order passed).
     *
     * @param index the member, from 0 to {@code size() - 1}
     * @param task  what to run; must not block
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     * @throws NullPointerException      if {@code task} is null
     * @throws IllegalStateException     if that member is closed
     */
    default void execute(int index, Runnable task) {
        member(index).execute(task);
    }

    /**
     * Closes every member with {@link AioOperations#close()}'s guarantees: each operation in flight on each member
     * completes exactly once, queued tasks run, and, when called from a thread that is not a member's loop, no
     * completion or task of any member runs after this returns. Called from a member's loop, it closes the other
     * members first (waiting for each) and its own member last, which cannot wait for itself. Idempotent: a
     * second call from outside the loops waits until the first one has finished.
     *
     * @throws IllegalStateException if a member refuses to close (a host-driven member closed by another thread);
     *                               the other members are still closed, and the failures are suppressed on it
     */
    @Override
    void close();
}
