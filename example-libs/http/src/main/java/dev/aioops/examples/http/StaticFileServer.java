package dev.aioops.examples.http;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server for the files under one directory, with every byte of file and network I/O performed by an
 * {@link AioOperations}: files are opened and read with {@code open}/{@code read} at explicit offsets, and sent
 * with {@code write}, so on io_uring a response costs no thread pool at all.
 *
 * <p><b>Protocol.</b> {@code GET} and {@code HEAD}; persistent connections (HTTP/1.1 by default, HTTP/1.0 with
 * {@code Connection: keep-alive}); pipelined requests, answered in order; {@code Content-Length} on every
 * response; {@code Content-Type} from the file extension; a directory is served by its {@code index.html}.
 * Errors carry a short plain-text body: {@code 400} (malformed request, {@code ..} in the path, a missing
 * {@code Host}), {@code 404}, {@code 405} (other methods, with {@code Allow}), {@code 413} (a body over
 * {@link HttpLimits#maxBodyBytes()}), {@code 414}, {@code 431} (see {@link HttpLimits}), {@code 501}
 * ({@code Transfer-Encoding}), {@code 505}. After a {@code 400}, {@code 413}, {@code 414}, {@code 431},
 * {@code 501} or {@code 505} the connection is closed, since the request's framing cannot be trusted.
 *
 * <p><b>Containment.</b> No request reaches a file outside the root. {@code ..} segments are refused, also
 * percent-encoded ({@code %2e%2e}); so are absolute-form targets. Every file is opened relative to a directory
 * handle of the root with {@code AioOpenOption.BENEATH}: the kernel refuses, during the open itself, a symbolic
 * link that leads outside (answered {@code 404}, as if absent), so a directory swapped for a link cannot race a
 * check. Links that stay inside (relative ones) are followed. This needs {@code CONFINED_OPEN}; without it every
 * file answers {@code 500}.
 *
 * <p><b>Threads.</b> {@link #start} and {@link #close()} may be called from any thread; everything else runs
 * on the loop of the {@link AioOperations}. No file-system call runs on the loop: the opens and the
 * {@code fstat} that gives a file's size and type are operations of the contract.
 *
 * <p><b>Limits.</b> Every wait for a client carries a deadline ({@link HttpTimeouts}: head, body, keep-alive,
 * stalled write); at most {@link HttpServerConfig#maxConnections()} connections are served at once and one beyond
 * is answered {@code 503} and closed at once; an idle connection holds a 1 KiB read buffer and no other buffer
 * ({@link ConnectionMemory}).
 */
public final class StaticFileServer implements AutoCloseable {

    private final AioOperations ops;
    private final int listener;
    private final InetSocketAddress address;
    private final HttpServerConfig config;
    private final RequestHeadParser parser;
    private final ConnectionMemory memory;
    private final OpenFileCache openFiles;
    private final Path root;
    private final int rootHandle;
    private final Set<HttpConnection> connections = new LinkedHashSet<>();
    /** This server's own, or the one shared by every server of a group. */
    private final ConnectionLimit limit;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Connections and refusals whose memory or handles are still in use; the memory is freed at 0 after close. */
    private int unreleased;
    private volatile int openConnections;
    /** Connections accepted, served or refused; written by the loop alone. */
    private volatile long acceptedConnections;
    private boolean listenerClosed;
    private boolean closing;

    private StaticFileServer(AioOperations ops, int listener, InetSocketAddress address, HttpServerConfig config,
                             Path root, int rootHandle, ConnectionLimit limit) {
        this.limit = limit;
        this.ops = ops;
        this.listener = listener;
        this.address = address;
        this.config = config;
        this.parser = new RequestHeadParser(config.limits());
        this.memory = new ConnectionMemory(config.limits());
        this.openFiles = new OpenFileCache(ops, config.openFileCache().toNanos());
        this.root = root;
        this.rootHandle = rootHandle;
    }

    /**
     * Starts serving {@code root} with {@link HttpLimits#DEFAULTS}.
     *
     * @param ops  the operations to use; they must outlive the server
     * @param bind the address to listen on; port 0 picks a free port (see {@link #address()})
     * @param root the directory to serve
     * @return the listening server, or an {@link dev.aioops.spi.AioException}: {@code ENOTDIR} or {@code ENOENT}
     *         for a root that is not a directory, {@code EADDRINUSE}...
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if {@code ops} is closed
     */
    public static CompletableFuture<StaticFileServer> start(AioOperations ops, InetSocketAddress bind, Path root) {
        return start(ops, bind, root, HttpServerConfig.DEFAULTS);
    }

    /**
     * Starts serving {@code root}.
     *
     * @param ops    the operations to use; they must outlive the server
     * @param bind   the address to listen on; port 0 picks a free port (see {@link #address()})
     * @param root   the directory to serve
     * @param limits what requests may be; everything else as {@link HttpServerConfig#DEFAULTS}
     * @return the listening server, or an {@link dev.aioops.spi.AioException}: {@code ENOTDIR} or {@code ENOENT}
     *         for a root that is not a directory, {@code EADDRINUSE}...
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if {@code ops} is closed
     */
    public static CompletableFuture<StaticFileServer> start(AioOperations ops, InetSocketAddress bind, Path root,
                                                            HttpLimits limits) {
        return start(ops, bind, root, HttpServerConfig.DEFAULTS.withLimits(Objects.requireNonNull(limits, "limits")));
    }

    /**
     * Starts serving {@code root}.
     *
     * @param ops    the operations to use; they must outlive the server
     * @param bind   the address to listen on; port 0 picks a free port (see {@link #address()})
     * @param root   the directory to serve
     * @param config limits, timeouts and options
     * @return the listening server, or an {@link dev.aioops.spi.AioException}: {@code ENOTDIR} or {@code ENOENT}
     *         for a root that is not a directory, {@code EADDRINUSE}...
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if {@code ops} is closed
     */
    public static CompletableFuture<StaticFileServer> start(AioOperations ops, InetSocketAddress bind, Path root,
                                                            HttpServerConfig config) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(config, "config");
        Path served = root.toAbsolutePath().normalize();
        CompletableFuture<StaticFileServer> started = new CompletableFuture<>();
        ops.openAt(AioOperations.WORKING_DIRECTORY, served, EnumSet.of(AioOpenOption.DIRECTORY), null,
                (rootHandle, ignored) -> {
                    if (rootHandle < 0) {
                        started.completeExceptionally(AioErrno.exception(rootHandle, "open the root " + served));
                    } else {
                        listen(ops, bind, served, rootHandle, config, started);
                    }
                });
        return started;
    }

    private static void listen(AioOperations ops, InetSocketAddress bind, Path root, int rootHandle,
                               HttpServerConfig config, CompletableFuture<StaticFileServer> started) {
        ops.listen(bind, 128, null, (handle, ignored) -> {
            if (handle < 0) {
                closeQuietly(ops, rootHandle);
                started.completeExceptionally(AioErrno.exception(handle, "listen on " + bind));
                return;
            }
            InetSocketAddress bound;
            try {
                bound = (InetSocketAddress) ops.localAddress(handle);
            } catch (IOException | IllegalStateException e) {
                closeQuietly(ops, handle);
                closeQuietly(ops, rootHandle);
                started.completeExceptionally(e);
                return;
            }
            StaticFileServer server = new StaticFileServer(ops, handle, bound, config, root, rootHandle,
                    new ConnectionLimit(config.maxConnections()));
            server.accept();
            started.complete(server);
        });
    }

    /**
     * Starts serving {@code root} on a listener that is open already: one loop's part of a
     * {@link GroupFileServer}. On failure the listener is closed.
     *
     * @param ops      the loop
     * @param listener a listening handle of {@code ops}
     * @param bound    its address
     * @param root     the absolute, normalized root
     * @param config   the configuration
     * @param limit    the connection count shared with the other loops
     * @return the server, or the failure to open the root
     */
    static CompletableFuture<StaticFileServer> startOn(AioOperations ops, int listener, InetSocketAddress bound,
                                                       Path root, HttpServerConfig config, ConnectionLimit limit) {
        CompletableFuture<StaticFileServer> started = new CompletableFuture<>();
        ops.openAt(AioOperations.WORKING_DIRECTORY, root, EnumSet.of(AioOpenOption.DIRECTORY), null,
                (rootHandle, ignored) -> {
                    if (rootHandle < 0) {
                        closeQuietly(ops, listener);
                        started.completeExceptionally(AioErrno.exception(rootHandle, "open the root " + root));
                        return;
                    }
                    StaticFileServer server = new StaticFileServer(ops, listener, bound, config, root, rootHandle,
                            limit);
                    server.accept();
                    started.complete(server);
                });
        return started;
    }

    private static void closeQuietly(AioOperations ops, int handle) {
        try {
            ops.close(handle, null, (r, a) -> { });
        } catch (IllegalStateException opsClosed) {
            // closed with the operations
        }
    }

    /**
     * The address the server listens on, with the real port when it was started on port 0.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The directory served, as an absolute path.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /** The directory handle of the root, which every file is opened beneath. */
    int rootHandle() {
        return rootHandle;
    }

    /**
     * Stops accepting and closes every connection, also those in the middle of a response. Idempotent; any thread;
     * does not wait (see {@link #closed()}).
     */
    @Override
    public void close() {
        try {
            if (ops.inLoop()) {
                shutdown();
            } else {
                ops.execute(this::shutdown);
            }
        } catch (IllegalStateException opsClosed) {
            // The operations are closed: every handle is closed and every operation has completed.
            closing = true;
            listenerClosed = true;
            freeWhenDone();
            closed.complete(null);
        }
    }

    /**
     * Completes after {@link #close()} once the listener is closed and every connection has let go of its memory.
     *
     * @return the future, completed on the loop
     */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    HttpServerConfig config() {
        return config;
    }

    RequestHeadParser parser() {
        return parser;
    }

    ConnectionMemory memory() {
        return memory;
    }

    OpenFileCache openFiles() {
        return openFiles;
    }

    /**
     * The number of connections being served, for monitoring; any thread (a snapshot, exact on the loop).
     *
     * @return the open connections, not counting those refused with {@code 503}
     */
    public int openConnections() {
        return openConnections;
    }

    /**
     * The connections this server has accepted since it started, those refused with {@code 503} included; any
     * thread (a snapshot).
     *
     * @return the count
     */
    public long acceptedConnections() {
        return acceptedConnections;
    }

    void forget(HttpConnection connection) {
        if (connections.remove(connection)) {
            limit.release();
        }
        openConnections = connections.size();
    }

    /** A connection or refusal let go of everything it held; the last one after close frees the memory. */
    void released() {
        unreleased--;
        freeWhenDone();
    }

    private void freeWhenDone() {
        if (closing && listenerClosed && unreleased == 0) {
            memory.close();
            openFiles.close();
            closed.complete(null);
        }
    }

    private void shutdown() {
        if (closing) {
            return;
        }
        closing = true;
        for (HttpConnection connection : new ArrayList<>(connections)) {
            connection.close();
        }
        try {
            ops.close(listener, null, (r, a) -> listenerClosed());
        } catch (IllegalStateException opsClosed) {
            listenerClosed();
        }
        openFiles.clear();
        closeQuietly(ops, rootHandle);
    }

    private void listenerClosed() {
        listenerClosed = true;
        freeWhenDone();
    }

    private void accept() {
        try {
            ops.accept(listener, null, this::accepted);
        } catch (IllegalStateException opsClosed) {
            listenerClosed = true; // the operations closed it; connections release as their operations complete
        }
    }

    private void accepted(int socket, Object ignored) {
        if (closing) {
            if (socket >= 0) {
                try {
                    ops.close(socket, null, (r, a) -> { });
                } catch (IllegalStateException opsClosed) {
                    // closed with the operations
                }
            }
            return;
        }
        if (socket >= 0) {
            unreleased++;
            acceptedConnections++; // the loop alone writes it
            if (!limit.tryAcquire()) {
                Refusal.refuse(ops, socket, config.timeouts().stalledWrite().toNanos(), this::released);
            } else {
                HttpConnection connection = new HttpConnection(ops, socket, this);
                connections.add(connection);
                openConnections = connections.size();
                connection.start();
            }
            accept();
        } else if (socket == -AioErrno.ECANCELED || socket == -AioErrno.EBADF) {
            // The listener was closed under the server (the operations are closing): the server ends with it.
            closing = true;
            listenerClosed = true;
            freeWhenDone();
        } else {
            // EMFILE and friends: give the process a moment rather than spinning on the loop.
            try {
                ops.timeout(TimeUnit.MILLISECONDS.toNanos(50), null, (r, a) -> accept());
            } catch (IllegalStateException opsClosed) {
                listenerClosed = true;
                freeWhenDone();
            }
        }
    }
}
