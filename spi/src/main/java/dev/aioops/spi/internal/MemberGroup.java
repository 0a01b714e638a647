package dev.aioops.spi.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An {@link AioGroup} over members that were opened already: the plain group every adapter can give, and the
 * base that adapters with something to share between members (io_uring's kernel workers and ring-to-ring
 * wake-ups) build on. The group owns its members from construction: {@link #close()} closes each.
 *
 * <p>Close runs once. The first caller closes the members; a later caller from outside the loops waits for it,
 * while one on a member's loop only closes its own member (it must not wait for a closer that may be waiting for
 * this very loop).
 */
public class MemberGroup implements AioGroup {

    private final List<AioOperations> members;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * Takes ownership of {@code members}.
     *
     * @param members the opened members, in index order; at least one, all of one adapter
     * @throws IllegalArgumentException if the list is empty or mixes adapters
     */
    public MemberGroup(List<? extends AioOperations> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one member");
        }
        String adapter = members.get(0).adapterName();
        for (AioOperations m : members) {
            if (!Objects.requireNonNull(m, "member").adapterName().equals(adapter)) {
                throw new IllegalArgumentException("a group's members must share one adapter; found '" + adapter
                        + "' and '" + m.adapterName() + "'");
            }
        }
        this.members = List.copyOf(members);
    }

    /**
     * Opens {@code size} members one after the other with {@code opener}, closing those already open if one
     * fails.
     *
     * @param size   how many members, {@code >= 1}
     * @param opener opens member {@code i}
     * @return the opened members, in index order
     * @throws IllegalArgumentException if {@code size < 1}
     * @throws RuntimeException         what {@code opener} threw, with the closing failures suppressed on it
     */
    public static List<AioOperations> openMembers(int size, IntFunction<? extends AioOperations> opener) {
        checkSize(size);
        List<AioOperations> opened = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                opened.add(Objects.requireNonNull(opener.apply(i), "opener returned null"));
            }
            return opened;
        } catch (RuntimeException failed) {
            for (AioOperations m : opened) {
                try {
                    m.close();
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
    }

    /**
     * Checks a requested group size.
     *
     * @param size the requested size
     * @throws IllegalArgumentException if it is below 1 or above 4096
     */
    public static void checkSize(int size) {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("a group has from 1 to 4096 members, not " + size);
        }
    }

    /**
     * The configuration of member {@code index}: {@code config} with the thread name suffixed by the index, when
     * one is set, so that members' threads can be told apart.
     *
     * @param config the group's configuration
     * @param index  the member's index
     * @return the member's configuration
     */
    public static AioConfig memberConfig(AioConfig config, int index) {
        return config.threadName() == null ? config
                : config.toBuilder().threadName(config.threadName() + "-" + index).build();
    }

    @Override
    public String adapterName() {
        return members.get(0).adapterName();
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public AioOperations member(int index) {
        return members.get(index);
    }

    @Override
    public List<AioOperations> members() {
        return members;
    }

    @Override
    public AioOperations next() {
        return members.get(Math.floorMod(nextIndex.getAndIncrement(), members.size()));
    }

    @Override
    public AioOperations current() {
        for (AioOperations m : members) {
            if (m.inLoop()) {
                return m;
            }
        }
        return null;
    }

    @Override
    public void close() {
        AioOperations own = current();
        if (!closing.compareAndSet(false, true)) {
            if (own != null) {
                own.close();
            } else {
                awaitClosed();
            }
            return;
        }
        RuntimeException failure = null;
        try {
            for (AioOperations m : members) {
                if (m != own) {
                    failure = closeCollecting(m, failure);
                }
            }
            if (own != null) {
                failure = closeCollecting(own, failure);
            }
            afterMembersClosed();
        } finally {
            closed.countDown();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frees what the group itself holds beyond its members; called once, after every member's close. */
    protected void afterMembersClosed() {
    }

    private static RuntimeException closeCollecting(AioOperations member, RuntimeException failure) {
        try {
            member.close();
            return failure;
        } catch (RuntimeException failed) {
            if (failure == null) {
                return new IllegalStateException("closing the group failed on a member", failed);
            }
            failure.addSuppressed(failed);
            return failure;
        }
    }

    @Override
    public String toString() {
        return "AioGroup[" + adapterName() + " x " + members.size() + "]";
    }
}
