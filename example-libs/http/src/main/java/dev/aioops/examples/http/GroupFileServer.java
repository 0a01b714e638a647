package dev.aioops.examples.http;

import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioServers;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link StaticFileServer} on every loop of an {@link AioGroup}: each member listens on the same port with
 * {@code SO_REUSEPORT} ({@link AioServers#listenOnEvery}), the kernel spreads the incoming connections over the
 * listeners, and each connection is served, from accept to close, by the member that accepted it — its files
 * opened and read on that member's loop, with no hand-over between loops. So a group of N serves on N cores.
 *
 * <p>{@link HttpServerConfig#maxConnections()} holds for the group as a whole: the members count their
 * connections together. {@link #close()} stops every member's server.
 *
 * <p><b>Threads.</b> {@link #start} and {@link #close()} may be called from any thread; each member's server runs
 * on its member's loop, as a {@link StaticFileServer} does.
 */
public final class GroupFileServer implements AutoCloseable {

    private final List<StaticFileServer> servers;
    private final ConnectionLimit limit;

    private GroupFileServer(List<StaticFileServer> servers, ConnectionLimit limit) {
        this.servers = List.copyOf(servers);
        this.limit = limit;
    }

    /**
     * Starts serving {@code root} on every member of {@code group}.
     *
     * @param group  the loops; they must outlive the server
     * @param bind   a TCP address; port 0 picks a free port, the same on every member (see {@link #address()})
     * @param root   the directory to serve
     * @param config limits, timeouts and options; {@code maxConnections} counts the whole group
     * @return the running server, or an {@link dev.aioops.spi.AioException}: {@code EADDRINUSE} when the port is
     *         held without {@code SO_REUSEPORT}, {@code EOPNOTSUPP} on an adapter without
     *         {@link dev.aioops.spi.AioCapability#REUSE_PORT}, {@code ENOENT} or {@code ENOTDIR} for the root; nothing
     *         is left open then
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if the group is closed
     */
    public static CompletableFuture<GroupFileServer> start(AioGroup group, InetSocketAddress bind, Path root,
                                                           HttpServerConfig config) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(config, "config");
        Path served = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        ConnectionLimit limit = new ConnectionLimit(config.maxConnections());
        return AioServers.listenOnEvery(group, bind, 1024, AioListenOptions.defaults()).thenCompose(handles -> {
            InetSocketAddress bound;
            try {
                bound = (InetSocketAddress) group.member(0).localAddress(handles[0]);
            } catch (java.io.IOException e) {
                for (int i = 0; i < handles.length; i++) {
                    int handle = handles[i];
                    group.member(i).close(handle, null, (r, a) -> { });
                }
                return CompletableFuture.failedFuture(e);
            }
            List<CompletableFuture<StaticFileServer>> parts = new ArrayList<>();
            for (int i = 0; i < handles.length; i++) {
                parts.add(StaticFileServer.startOn(group.member(i), handles[i], bound, served, config, limit));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((ok, failed) -> {
                List<StaticFileServer> started = new ArrayList<>();
                for (CompletableFuture<StaticFileServer> part : parts) {
                    if (!part.isCompletedExceptionally()) {
                        started.add(part.join());
                    }
                }
                if (failed != null) {
                    started.forEach(StaticFileServer::close);
                    throw failed instanceof RuntimeException r ? r
                            : new java.util.concurrent.CompletionException(failed);
                }
                return new GroupFileServer(started, limit);
            });
        });
    }

    /**
     * The address every member listens on, with the real port when started on port 0.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return servers.get(0).address();
    }

    /**
     * The server of each member, in member order, for monitoring ({@link StaticFileServer#acceptedConnections()}).
     *
     * @return an unmodifiable list, one per member
     */
    public List<StaticFileServer> servers() {
        return servers;
    }

    /**
     * The connections being served by the whole group; any thread (a snapshot).
     *
     * @return the count that {@link HttpServerConfig#maxConnections()} limits
     */
    public int openConnections() {
        return limit.open();
    }

    /**
     * Stops every member's server: each stops accepting and closes its connections. Idempotent; any thread; does not
     * wait (see {@link #closed()}).
     */
    @Override
    public void close() {
        servers.forEach(StaticFileServer::close);
    }

    /**
     * Completes after {@link #close()} once every member's server has closed.
     *
     * @return the future
     */
    public CompletableFuture<Void> closed() {
        return CompletableFuture.allOf(servers.stream().map(StaticFileServer::closed)
                .toArray(CompletableFuture[]::new));
    }
}
