package dev.aioops.examples.http;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioStat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * One client connection: reads requests, answers them one after the other (pipelined requests wait in the input
 * buffer), streams files through a single buffer: the response head and the first file block go out in one
 * write. Between requests it holds only a small read buffer ({@link ConnectionMemory}); every wait carries a
 * deadline ({@link HttpTimeouts}). Confined to the loop.
 */
final class HttpConnection {

    /**
     * The most input a lingering close reads and drops before it closes anyway. Large enough for an upload refused
     * with 413 to be drained whole (256 KiB let curl lose the 413 of a 1 MiB upload to the reset), while a client
     * that keeps sending beyond it costs no more than this and {@link #LINGER_NANOS}.
     */
    static final long LINGER_BYTES = 16L << 20;
    /** The longest a lingering close waits for the client to stop sending. */
    static final long LINGER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    /** Confined beneath the root by the kernel: a link or path that leads outside fails with EXDEV. */
    private static final Set<AioOpenOption> READ_BENEATH = EnumSet.of(AioOpenOption.READ, AioOpenOption.BENEATH);
    /** {@code 100 Continue}, written from here; global, since it is never freed. */
    private static final MemorySegment CONTINUE = Arena.global().allocate(HttpResponses.CONTINUE.length);

    static {
        MemorySegment.copy(HttpResponses.CONTINUE, 0, CONTINUE, ValueLayout.JAVA_BYTE, 0,
                HttpResponses.CONTINUE.length);
    }

    private final AioOperations ops;
    private final int socket;
    private final StaticFileServer server;
    private final HttpTimeouts timeouts;
    private final DeadlineWriter writer;
    /** What the connection works with while busy; null while it waits for a request. */
    private ConnectionMemory.WorkingSet work;
    /** The read buffer of the wait for a request; null while busy. */
    private MemorySegment idleBuffer;
    /** When the current wait (head, body, keep-alive or lingering close) ends, in {@link System#nanoTime()}. */
    private long deadline;
    private int inStart;
    private int inEnd;
    private long bodyToSkip;
    private RequestHead skipping;
    private int inFlight;
    private boolean closed;
    private boolean released;
    /** Input read and dropped by a lingering close. */
    private long lingered;
    /** Whether the wait for a request is a keep-alive wait (its request then gets a fresh head deadline). */
    private boolean keptAlive;

    // The response being streamed.
    private int file = -1;
    private long fileSize;
    private long fileSent;
    private int ioFilled;
    private boolean keepAlive;
    private boolean http10;
    private boolean isHead;
    /** The path being opened beneath the root, and whether it is already a directory's index. */
    private String path;
    private boolean triedIndex;
    /** Whether the target ended with a slash, and its path as sent (for a redirect to the slashed form). */
    private boolean slashed;
    private String targetPath;
    /** The request being answered, for its conditional and range headers. */
    private RequestHead current;
    /** The client's address as the access log writes it; looked up at its first line. */
    private String client;
    /** Where in the file the body starts: 0, or a range's first byte. */
    private long rangeStart;
    /** The head being written is followed by a zero-copy body. */
    private boolean zeroCopy;
    private ZeroCopyBody zeroCopyBody;
    /** The open-file cache's entry that {@link #file} belongs to, or null for a handle of this connection's own. */
    private OpenFileCache.Entry cached;

    HttpConnection(AioOperations ops, int socket, StaticFileServer server) {
        this.ops = ops;
        this.socket = socket;
        this.server = server;
        this.timeouts = server.config().timeouts();
        this.writer = new DeadlineWriter(ops, socket, timeouts.stalledWrite().toNanos());
    }

    /** Waits for the first request, which must arrive whole within the head timeout of the accept. */
    void start() {
        deadline = System.nanoTime() + timeouts.requestHead().toNanos();
        awaitRequest();
    }

    /** Closes the connection (the server is closing, or the exchange is over); idempotent. */
    void close() {
        if (!closed) {
            closed = true;
            server.forget(this);
            closeFile();
            closeQuietly(socket);
        }
        releaseWhenIdle();
    }

    private void closeQuietly(int handle) {
        try {
            inFlight++;
            ops.close(handle, null, (r, a) -> {
                inFlight--;
                releaseWhenIdle();
            });
        } catch (IllegalStateException opsClosed) {
            inFlight--; // the operations complete what was pending on their own while closing
        }
    }

    /** Lets go of the response's file, if any: closes it, or releases it to the open-file cache. */
    private void closeFile() {
        if (cached != null) {
            server.openFiles().release(cached);
            cached = null;
        } else if (file >= 0) {
            closeQuietly(file);
        }
        file = -1;
    }

    /** Gives the memory back once closed and nothing of this connection is in flight. */
    private void releaseWhenIdle() {
        if (closed && inFlight == 0 && !released) {
            released = true;
            if (work != null) {
                server.memory().giveBack(work);
                work = null;
            }
            if (idleBuffer != null) {
                server.memory().giveBackIdleBuffer(idleBuffer);
                idleBuffer = null;
            }
            server.released();
        }
    }

    /** The time left until {@link #deadline}, at least 1 ns so that a passed deadline fires at once. */
    private long remaining() {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** Between requests: one small read, with the keep-alive (or first request's head) deadline. */
    private void awaitRequest() {
        idleBuffer = server.memory().lendIdleBuffer();
        inFlight++;
        try {
            ops.read(socket, idleBuffer, AioOperations.STREAM, remaining(), null, this::requestArrived);
        } catch (IllegalStateException opsClosed) {
            requestArrived(-AioErrno.ECANCELED, null);
        }
    }

    private void requestArrived(int result, Object ignored) {
        inFlight--;
        if (closed || result <= 0) {
            close(); // end of stream, a reset, or the keep-alive timeout: nothing was asked, nothing is answered
            return;
        }
        work = server.memory().lend();
        MemorySegment.copy(idleBuffer, ValueLayout.JAVA_BYTE, 0, work.in, 0, result);
        server.memory().giveBackIdleBuffer(idleBuffer);
        idleBuffer = null;
        inStart = 0;
        inEnd = result;
        if (keptAlive) {
            keptAlive = false;
            deadline = System.nanoTime() + timeouts.requestHead().toNanos();
        }
        process();
    }

    /** Frees the working memory and waits for the next request, once nothing is left in the input. */
    private void goIdle() {
        server.memory().giveBack(work);
        work = null;
        deadline = System.nanoTime() + timeouts.keepAlive().toNanos();
        keptAlive = true;
        awaitRequest();
    }

    private void readMore() {
        byte[] in = work.in;
        if (inStart > 0) {
            System.arraycopy(in, inStart, in, 0, inEnd - inStart);
            inEnd -= inStart;
            inStart = 0;
        }
        int room = Math.min(ConnectionMemory.READ_SIZE, in.length - inEnd);
        inFlight++;
        try {
            ops.read(socket, work.readBuffer.asSlice(0, room), AioOperations.STREAM, remaining(), null,
                    this::received);
        } catch (IllegalStateException opsClosed) {
            received(-AioErrno.ECANCELED, null);
        }
    }

    private void received(int result, Object ignored) {
        inFlight--;
        if (closed) {
            releaseWhenIdle();
            return;
        }
        if (result == -AioErrno.ETIMEDOUT) {
            current = null;
            sendError(408, skipping != null ? "the request body took too long"
                    : "the request head took too long", false, false, null);
            return;
        }
        if (result <= 0) {
            close();
            return;
        }
        MemorySegment.copy(work.readBuffer, ValueLayout.JAVA_BYTE, 0, work.in, inEnd, result);
        inEnd += result;
        process();
    }

    /** Handles what the input holds: skips a body, answers a complete request, or reads more. */
    private void process() {
        if (closed) {
            return;
        }
        if (skipping != null) {
            int take = (int) Math.min(bodyToSkip, inEnd - inStart);
            inStart += take;
            bodyToSkip -= take;
            if (bodyToSkip > 0) {
                readMore();
                return;
            }
            RequestHead head = skipping;
            skipping = null;
            answer(head);
            return;
        }
        switch (server.parser().parse(work.in, inStart, inEnd)) {
            case ParseOutcome.Incomplete ignored -> readMore();
            case ParseOutcome.Refused(int status, String reason) -> {
                current = null;
                sendError(status, reason, false, false, null);
            }
            case ParseOutcome.Complete(RequestHead head) -> {
                current = head;
                inStart += head.length();
                String expect = head.headers().get("expect");
                boolean wantsContinue = expect != null && expect.equalsIgnoreCase("100-continue")
                        && head.minorVersion() == 1;
                if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
                    sendError(417, "the only expectation this server meets is 100-continue", false, false, null);
                } else if (head.contentLength() > server.config().limits().maxBodyBytes()) {
                    // With Expect: 100-continue the client has not sent the body: the final status comes at once.
                    sendError(413, "request bodies are limited to " + server.config().limits().maxBodyBytes() + " bytes",
                            false, head.method().equals("HEAD"), null);
                } else if (head.contentLength() > 0) {
                    skipping = head;
                    bodyToSkip = head.contentLength();
                    deadline = System.nanoTime() + timeouts.body().toNanos();
                    if (wantsContinue) {
                        sendContinue(); // goes on with process() once written, so that it precedes the response
                    } else {
                        process();
                    }
                } else {
                    answer(head);
                }
            }
        }
    }

    private void answer(RequestHead head) {
        keepAlive = head.keepAlive();
        http10 = head.minorVersion() == 0;
        boolean isHead = head.method().equals("HEAD");
        if (!isHead && !head.method().equals("GET")) {
            sendError(405, head.method() + " is not allowed; this server serves files with GET and HEAD",
                    keepAlive, false, "Allow: GET, HEAD");
            return;
        }
        TargetResolver.Resolution found = TargetResolver.resolve(head.target(), server.config().serveDotfiles());
        if (found.status() != 200) {
            sendError(found.status(), found.reason(), keepAlive, isHead, null);
            return;
        }
        this.isHead = isHead;
        current = head;
        triedIndex = false;
        slashed = found.slashed();
        targetPath = found.targetPath();
        openBeneathRoot(found.path());
    }

    private void openBeneathRoot(String relative) {
        path = relative;
        OpenFileCache.Entry hit = slashed && !triedIndex ? null : server.openFiles().acquire(relative);
        if (hit != null) {
            cached = hit;
            file = hit.handle;
            serve(hit.stat, hit.etag, hit.validators);
            return;
        }
        try {
            ops.openAt(server.rootHandle(), Path.of(relative), READ_BENEATH, null, this::opened);
        } catch (IllegalStateException opsClosed) {
            close();
        }
    }

    private void opened(int result, Object ignored) {
        if (closed) {
            if (result >= 0) {
                closeQuietly(result);
            }
            return;
        }
        if (result < 0) {
            int status = switch (-result) {
                // EXDEV: a symbolic link that leads outside the root, answered as if absent.
                case AioErrno.ENOENT, AioErrno.ELOOP, AioErrno.EXDEV, AioErrno.ENOTDIR -> 404;
                case AioErrno.EACCES, AioErrno.EPERM -> 403;
                default -> 500;
            };
            sendError(status, status == 500 ? "cannot open the file: " + AioErrno.name(result) : "not found",
                    keepAlive, isHead, null);
            return;
        }
        file = result;
        inFlight++;
        try {
            ops.fstat(file, work.stat, null, this::statted);
        } catch (IllegalStateException opsClosed) {
            statted(-AioErrno.ECANCELED, null);
        }
    }

    private void statted(int result, Object ignored) {
        inFlight--;
        if (closed) {
            releaseWhenIdle();
            return;
        }
        AioStat stat = work.stat;
        if (result < 0 || !stat.isRegularFile() || (slashed && !triedIndex)) {
            closeFile();
            if (result >= 0 && stat.isDirectory() && !slashed && !path.equals(".")) {
                // As nginx does: a directory's URL ends with a slash, so that its relative links resolve.
                sendError(301, "see " + targetPath + "/", keepAlive, isHead, "Location: " + targetPath + "/");
            } else if (result >= 0 && stat.isDirectory() && !triedIndex) {
                triedIndex = true;
                openBeneathRoot(TargetResolver.indexOf(path));
            } else if (result < 0) {
                sendError(500, "cannot read the file's metadata: " + AioErrno.name(result), keepAlive, isHead, null);
            } else {
                sendError(404, "not found", keepAlive, isHead, null);
            }
            return;
        }
        cached = server.openFiles().add(path, file, stat);
        String etag = Validators.etag(stat);
        serve(stat, etag, cached != null ? cached.validators : Validators.headers(etag, stat));
    }

    /** Answers with the open regular file {@link #file}: its body, a range of it, or a 304, 416. */
    private void serve(AioStat stat, String etag, String validators) {
        long[] range = Validators.range(current, etag, stat);
        if (Validators.notModified(current, etag, stat) || range == Validators.UNSATISFIABLE) {
            closeFile();
            if (range == Validators.UNSATISFIABLE && !Validators.notModified(current, etag, stat)) {
                sendError(416, "the range lies beyond the file's " + stat.size() + " bytes", keepAlive, isHead,
                        "Content-Range: bytes */" + stat.size());
            } else {
                respond(304, 0, validators);
                fileSize = 0;
                fileSent = 0;
                flushIo();
            }
            return;
        }
        long size = range == Validators.WHOLE ? stat.size() : range[1] - range[0] + 1;
        rangeStart = range == Validators.WHOLE ? 0 : range[0];
        respond(range == Validators.WHOLE ? 200 : 206, size, range == Validators.WHOLE ? validators
                : validators + "\r\nContent-Range: bytes " + range[0] + "-" + range[1] + "/" + stat.size());
        fileSent = 0;
        if (isHead || size == 0) {
            fileSize = 0;
            closeFile();
            flushIo();
            return;
        }
        fileSize = size;
        if (size >= server.config().zeroCopyThreshold()) {
            // The head goes out alone; the body follows from the file to the socket without passing through io.
            fileSent = fileSize;
            zeroCopy = true;
            flushIo();
            return;
        }
        readFile();
    }

    /** After a zero-copy head: the body from the file to the socket, then on as after any response. */
    private void sendBody() {
        zeroCopy = false;
        if (zeroCopyBody == null) {
            zeroCopyBody = new ZeroCopyBody(ops, socket, timeouts.stalledWrite().toNanos());
        }
        inFlight++;
        zeroCopyBody.send(file, rangeStart, fileSize, (result, ignored) -> {
            ioFilled = 0;
            ioWritten(result, null);
        });
    }

    /** Puts a response head for the file into the output buffer. */
    private void respond(int status, long length, String headers) {
        logResponse(status, isHead ? 0 : length);
        byte[] responseHead = HttpResponses.head(status, ContentTypes.of(fileName(path)), length, keepAlive, http10,
                headers);
        MemorySegment.copy(responseHead, 0, work.io, ValueLayout.JAVA_BYTE, 0, responseHead.length);
        ioFilled = responseHead.length;
    }

    /** Writes the access log's line of a response, when the log is on. */
    private void logResponse(int status, long bytes) {
        if (!AccessLog.enabled()) {
            return;
        }
        if (client == null) {
            try {
                client = ops.remoteAddress(socket) instanceof InetSocketAddress peer
                        ? peer.getAddress().getHostAddress() : "-";
            } catch (IOException | IllegalStateException unknown) {
                client = "-";
            }
        }
        AccessLog.log(client, current, status, bytes);
    }

    private static String fileName(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    private void readFile() {
        int want = (int) Math.min(ConnectionMemory.IO_SIZE - ioFilled, fileSize - fileSent);
        inFlight++;
        try {
            ops.read(file, work.io.asSlice(ioFilled, want), rangeStart + fileSent, null, this::fileRead);
        } catch (IllegalStateException opsClosed) {
            fileRead(-AioErrno.ECANCELED, null);
        }
    }

    private void fileRead(int result, Object ignored) {
        inFlight--;
        if (closed) {
            releaseWhenIdle();
            return;
        }
        if (result <= 0) {
            // The head already promised fileSize bytes: the only honest end is to drop the connection.
            close();
            return;
        }
        ioFilled += result;
        fileSent += result;
        if (ioFilled == ConnectionMemory.IO_SIZE || fileSent == fileSize) {
            flushIo();
        } else {
            readFile();
        }
    }

    private void flushIo() {
        inFlight++;
        writer.writeAll(work.io.asSlice(0, ioFilled), this::ioWritten);
    }

    private void ioWritten(int result, Object ignored) {
        inFlight--;
        if (closed || result < 0) {
            close();
            return;
        }
        ioFilled = 0;
        if (zeroCopy) {
            sendBody();
            return;
        }
        if (fileSent < fileSize) {
            readFile();
            return;
        }
        closeFile();
        if (!keepAlive) {
            lingeringClose();
        } else if (inStart == inEnd && skipping == null) {
            goIdle();
        } else {
            deadline = System.nanoTime() + timeouts.requestHead().toNanos(); // a pipelined request is next
            process();
        }
    }

    /**
     * Ends the connection after the last response without losing it (RFC 9112 9.6): a FIN first, then the client's
     * unread input is read and dropped, up to {@link #LINGER_BYTES} or {@link #LINGER_NANOS}, and only then is the
     * socket closed. Closing with unread input at once makes the kernel answer with a reset, which can discard the
     * response before the client has read it (curl lost a 413 in up to half of its tries).
     */
    private void lingeringClose() {
        try {
            ops.shutdown(socket, AioShutdown.WRITE, null, (result, ignored) -> {
                if (result < 0 || closed) {
                    close();
                    return;
                }
                deadline = System.nanoTime() + LINGER_NANOS;
                drain();
            });
        } catch (IllegalStateException opsClosed) {
            close();
        }
    }

    private void drain() {
        if (closed) {
            return;
        }
        inFlight++;
        try {
            ops.read(socket, work.readBuffer, AioOperations.STREAM, remaining(), null, (n, ignored) -> {
                inFlight--;
                lingered += Math.max(n, 0);
                if (closed || n <= 0 || lingered >= LINGER_BYTES) {
                    close(); // the end of the client's input, the linger time (ETIMEDOUT) or its size
                } else {
                    drain();
                }
            });
        } catch (IllegalStateException opsClosed) {
            inFlight--;
            close();
        }
    }

    /**
     * Asks a client that waits on {@code Expect: 100-continue} for the body (RFC 9110 10.1.1), then goes on reading
     * it; the final response is written only after this.
     */
    private void sendContinue() {
        inFlight++;
        writer.writeAll(CONTINUE, (result, ignored) -> {
            inFlight--;
            if (closed || result < 0) {
                close();
            } else {
                process();
            }
        });
    }

    private void sendError(int status, String reason, boolean stayOpen, boolean isHead, String extraHeader) {
        keepAlive = stayOpen;
        byte[] body = HttpResponses.errorBody(status, reason);
        logResponse(status, isHead ? 0 : body.length);
        byte[] head = HttpResponses.head(status, "text/plain; charset=utf-8", body.length, stayOpen, http10,
                extraHeader);
        MemorySegment.copy(head, 0, work.io, ValueLayout.JAVA_BYTE, 0, head.length);
        ioFilled = head.length;
        if (!isHead) {
            MemorySegment.copy(body, 0, work.io, ValueLayout.JAVA_BYTE, ioFilled, body.length);
            ioFilled += body.length;
        }
        fileSize = 0;
        fileSent = 0;
        flushIo();
    }
}
