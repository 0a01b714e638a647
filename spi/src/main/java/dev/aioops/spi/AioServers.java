package dev.aioops.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers across an {@link AioGroup}, built on the contract alone so that every adapter has them.
 *
 * <p><b>Why one listener per member.</b> A handle belongs to the instance that made it, and the contract has no
 * way to move an accepted socket from one member to another, so "one acceptor that hands connections to the
 * members" cannot be built on it without a descriptor-passing operation. Each member listens instead, on the same
 * port with {@link AioSocketOption#SO_REUSEPORT}, and the kernel spreads incoming connections over the listeners
 * (by a hash of the connection's addresses and ports): each connection is accepted, and served, by one member,
 * with no hand-over between loops at all — what Netty's and Vert.x's native transports do with
 * {@code SO_REUSEPORT}, and nginx with {@code listen ... reuseport}.
 */
public final class AioServers {

    private AioServers() {
    }

    /**
     * Listens on {@code address} on every member of {@code group}, with {@link AioSocketOption#SO_REUSEPORT} added to
     * {@code options}. For port 0, member 0 listens first and the others bind the port it got
     * ({@link AioOperations#localAddress}); otherwise all listen at once.
     *
     * <p>The future completes, on the loop of one of the members, with the listening handles in member order
     * ({@code handles[i]} is a handle of {@code group.member(i)}; the caller owns them and closes each on its
     * member), or exceptionally with an {@link AioException} carrying the first failure's errno
     * ({@code EADDRINUSE} when a listener without {@code SO_REUSEPORT} holds the port, {@code EOPNOTSUPP} on members
     * without {@link AioCapability#REUSE_PORT}) after closing the listeners already opened. If the group is closed
     * meanwhile, it completes exceptionally with the {@link IllegalStateException} or the {@code ECANCELED}.
     *
     * @param group   the group; every member gets one listener
     * @param address a resolved TCP address; a Unix domain socket path cannot be shared
     * @param backlog the accept backlog of each listener, {@code >= 1}
     * @param options further options of every listener; {@link AioListenOptions#defaults()} for none
     * @return the handles, one per member
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code address} is unresolved, {@code backlog < 1}, or {@code options} set
     *                                  {@code SO_REUSEPORT} to 0
     * @throws IllegalStateException    if the first member is closed
     */
    public static CompletableFuture<int[]> listenOnEvery(AioGroup group, InetSocketAddress address, int backlog,
                                                        AioListenOptions options) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        }
        if (options.isSet(AioSocketOption.SO_REUSEPORT) && !options.reusesPort()) {
            throw new IllegalArgumentException("listenOnEvery shares one port between the members: SO_REUSEPORT "
                    + "cannot be 0");
        }
        return new EveryMember(group, backlog, options.with(AioSocketOption.SO_REUSEPORT, 1)).start(address);
    }

    /** The state of one {@link #listenOnEvery}: the handles so far and the first failure. */
    private static final class EveryMember {

        private final AioGroup group;
        private final int backlog;
        private final AioListenOptions options;
        private final int[] handles;
        private final AtomicInteger pending;
        private final CompletableFuture<int[]> done = new CompletableFuture<>();
        /** The first failure, published to the last completion by {@link #pending}'s decrement. */
        private volatile Throwable failure;

        EveryMember(AioGroup group, int backlog, AioListenOptions options) {
            this.group = group;
            this.backlog = backlog;
            this.options = options;
            this.handles = new int[group.size()];
            java.util.Arrays.fill(handles, -1);
            this.pending = new AtomicInteger(group.size());
        }

        CompletableFuture<int[]> start(InetSocketAddress address) {
            if (address.getPort() != 0 || group.size() == 1) {
                for (int i = 0; i < group.size(); i++) {
                    listen(i, address);
                }
                return done;
            }
            AioOperations first = group.member(0);
            first.listen(address, backlog, options, null, (handle, a) -> {
                if (handle < 0) {
                    failRest(0, new AioException(-handle, "listen on " + address + " on member 0"));
                    return;
                }
                handles[0] = handle;
                InetSocketAddress bound;
                try {
                    bound = (InetSocketAddress) first.localAddress(handle);
                } catch (IOException e) {
                    failRest(0, e);
                    return;
                }
                arrived(null);
                for (int i = 1; i < group.size(); i++) {
                    listen(i, bound);
                }
            });
            return done;
        }

        private void listen(int index, InetSocketAddress address) {
            AioOperations member = group.member(index);
            try {
                member.listen(address, backlog, options, null, (handle, a) -> {
                    if (handle >= 0) {
                        handles[index] = handle;
                        arrived(null);
                    } else {
                        arrived(new AioException(-handle, "listen on " + address + " on member " + index));
                    }
                });
            } catch (IllegalStateException closed) {
                arrived(closed);
            }
        }

        /** Member 0 failed before the others were asked: they count as arrived, with nothing to close. */
        private void failRest(int index, Throwable cause) {
            failure = cause;
            if (handles[index] >= 0) {
                closeQuietly(group.member(index), handles[index]);
                handles[index] = -1;
            }
            done.completeExceptionally(cause);
        }

        /**
         * One member's listen finished. Each writes its own slot of {@link #handles} before the decrement, and the
         * last one reads every slot after it: the atomic's release and acquire order them.
         */
        private void arrived(Throwable cause) {
            if (cause != null && failure == null) {
                failure = cause;
            }
            if (pending.decrementAndGet() != 0) {
                return;
            }
            Throwable failed = failure;
            if (failed == null) {
                done.complete(handles.clone());
                return;
            }
            for (int i = 0; i < handles.length; i++) {
                if (handles[i] >= 0) {
                    closeQuietly(group.member(i), handles[i]);
                }
            }
            done.completeExceptionally(failed);
        }

        private static void closeQuietly(AioOperations member, int handle) {
            try {
                member.close(handle, null, (r, a) -> { });
            } catch (IllegalStateException closed) {
                // the member closed it with itself
            }
        }
    }
}
