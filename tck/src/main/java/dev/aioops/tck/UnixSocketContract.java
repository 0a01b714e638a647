package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioTransfers;
import dev.aioops.spi.AioVector;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unix domain sockets ({@link UnixDomainSocketAddress}) through {@link AioOperations#listen} and
 * {@link AioOperations#connect}: data both ways, the errno of a missing, dead or taken path, the addresses of each
 * end, half-close, deadlines, a listener closed under its accepts, many connections, the options a Unix socket
 * refuses, and the addresses refused at once. Socket paths live in the test's temporary directory.
 */
public abstract class UnixSocketContract extends AioContract {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);
    private static final int MIB = 1024 * 1024;

    /** For subclasses. */
    protected UnixSocketContract() {
    }

    private UnixDomainSocketAddress path(String name) {
        return UnixDomainSocketAddress.of(tempDir.resolve(name));
    }

    private int listenOn(UnixDomainSocketAddress address, int backlog) {
        int handle = call(c -> ops.listen(address, backlog, null, c));
        assertThat(handle).as("listen %s: %s", address, AioCompletionRecorder.describe(handle))
                .isGreaterThanOrEqualTo(0);
        return handle;
    }

    /** A connected Unix pair: {@code {client, server, listener}}. */
    private int[] unixPair(UnixDomainSocketAddress address) {
        int listener = listenOn(address, 16);
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, null, accepted);
        int client = call(c -> ops.connect(address, null, c));
        int server = accepted.await();
        assertThat(client).as("connect: %s", AioCompletionRecorder.describe(client)).isGreaterThanOrEqualTo(0);
        assertThat(server).as("accept: %s", AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
        return new int[] {client, server, listener};
    }

    private int write(int handle, String text) {
        return call(c -> ops.write(handle, bytes(text), AioOperations.STREAM, null, c));
    }

    private int read(int handle, MemorySegment into) {
        return call(c -> ops.read(handle, into, AioOperations.STREAM, null, c));
    }

    private int readFully(int handle, MemorySegment into) {
        return call(c -> {
            AioTransfers.readFully(ops, handle, into, AioOperations.STREAM, null, c);
            return 1;
        });
    }

    private static void assertErrno(ThrowingCallable call, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).as("%s", e.getMessage()).isEqualTo(errno));
    }

    // ----------------------------------------------------------------------------------------------- data

    @Test
    @Timeout(120)
    void echoesEightMebibytesBothWaysAtOnce() {
        int[] pair = unixPair(path("echo"));
        MemorySegment up = pattern(8 * MIB, 1);
        MemorySegment down = pattern(8 * MIB, 7);
        MemorySegment upReceived = arena.allocate(8 * MIB);
        MemorySegment downReceived = arena.allocate(8 * MIB);
        AioCompletionTally all = new AioCompletionTally(ops, 4);
        // Both directions in flight together: neither side reads only after it has written everything, so a
        // transfer larger than the socket buffers must not deadlock.
        AioTransfers.writeFully(ops, pair[0], up, AioOperations.STREAM, 0, all);
        AioTransfers.writeFully(ops, pair[1], down, AioOperations.STREAM, 1, all);
        AioTransfers.readFully(ops, pair[1], upReceived, AioOperations.STREAM, 2, all);
        AioTransfers.readFully(ops, pair[0], downReceived, AioOperations.STREAM, 3, all);
        all.await();
        for (int i = 0; i < 4; i++) {
            assertThat(all.result(i)).as("transfer %d: %s", i, AioCompletionRecorder.describe(all.result(i)))
                    .isEqualTo(8 * MIB);
        }
        assertThat(all.duplicates()).isZero();
        assertThat(upReceived.mismatch(up)).as("first differing byte client to server").isEqualTo(-1);
        assertThat(downReceived.mismatch(down)).as("first differing byte server to client").isEqualTo(-1);
    }

    @Test
    @Timeout(60)
    void vectoredWritesAndReadsCrossAUnixConnection() {
        int[] pair = unixPair(path("vectored"));
        AioVector out = AioVector.allocate(arena, 3).add(bytes("head|")).add(bytes("body|")).add(bytes("tail"));
        assertThat(call(c -> ops.writev(pair[0], out, AioOperations.STREAM, null, c))).isEqualTo(14);
        MemorySegment received = arena.allocate(14);
        int got = 0;
        while (got < 14) {
            // Scattered into 5 and 9 bytes; a short read continues where it stopped.
            AioVector in = AioVector.allocate(arena, 2);
            if (got < 5) {
                in.add(received.asSlice(got, 5 - got));
            }
            in.add(received.asSlice(Math.max(got, 5)));
            int n = call(c -> ops.readv(pair[1], in, AioOperations.STREAM, null, c));
            assertThat(n).as(AioCompletionRecorder.describe(n)).isPositive();
            got += n;
        }
        assertThat(text(received, 14)).isEqualTo("head|body|tail");
    }

    // ------------------------------------------------------------------------------------------ errno cases

    @Test
    @Timeout(60)
    void connectingToAMissingPathIsENOENT() {
        int result = call(c -> ops.connect(path("missing"), null, c));
        assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ENOENT);
        int inMissingDirectory = call(c -> ops.connect(path("no-such-dir/s"), null, c));
        assertThat(inMissingDirectory).as(AioCompletionRecorder.describe(inMissingDirectory))
                .isEqualTo(-AioErrno.ENOENT);
    }

    @Test
    @Timeout(60)
    void connectingToASocketFileWhoseListenerClosedIsECONNREFUSED() throws IOException {
        UnixDomainSocketAddress dead = path("dead");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(dead);
        }
        assertThat(dead.getPath()).as("the JDK leaves the socket file behind").exists();
        int result = call(c -> ops.connect(dead, null, c));
        assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ECONNREFUSED);
        int withDeadline = call(c -> ops.connect(dead, LONG, null, c));
        assertThat(withDeadline).as(AioCompletionRecorder.describe(withDeadline))
                .isEqualTo(-AioErrno.ECONNREFUSED);
    }

    @Test
    @Timeout(60)
    void listeningOnAnExistingPathIsEADDRINUSEAndInAMissingDirectoryENOENT() throws IOException {
        UnixDomainSocketAddress live = path("live");
        UnixDomainSocketAddress leftOver = path("left-over");
        UnixDomainSocketAddress file = path("file");
        Files.writeString(file.getPath(), "not a socket");
        try (ServerSocketChannel closed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            closed.bind(leftOver);
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(live);
            for (UnixDomainSocketAddress taken : new UnixDomainSocketAddress[] {live, leftOver, file}) {
                int result = call(c -> ops.listen(taken, 8, null, c));
                assertThat(result).as("%s: %s", taken, AioCompletionRecorder.describe(result))
                        .isEqualTo(-AioErrno.EADDRINUSE);
            }
        }
        assertThat(Files.readString(file.getPath())).as("the file is left as it was").isEqualTo("not a socket");
        int result = call(c -> ops.listen(path("no-such-dir/s"), 8, null, c));
        assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ENOENT);
    }

    // ---------------------------------------------------------------------------------------------- addresses

    @Test
    @Timeout(60)
    void addressesAreThePathAndAnEmptyPathForTheUnboundEnd() throws IOException {
        UnixDomainSocketAddress address = path("named");
        int[] pair = unixPair(address);
        UnixDomainSocketAddress unbound = UnixDomainSocketAddress.of("");
        assertThat(ops.localAddress(pair[2])).as("the listener").isEqualTo(address);
        assertThat(ops.localAddress(pair[1])).as("an accepted connection").isEqualTo(address);
        assertThat(ops.localAddress(pair[0])).as("the connecting end").isEqualTo(unbound);
        assertThat(ops.remoteAddress(pair[0])).as("the connecting end's peer").isEqualTo(address);
        assertThat(ops.remoteAddress(pair[1])).as("the accepted end's peer").isEqualTo(unbound);
        assertErrno(() -> ops.remoteAddress(pair[2]), AioErrno.ENOTCONN);
    }

    // ------------------------------------------------------------------------------------------- half-close

    @Test
    @Timeout(60)
    void shutdownWriteEndsThePeersStreamWhileThePeerCanStillWrite() {
        int[] pair = unixPair(path("half"));
        assertThat(write(pair[0], "request")).isEqualTo(7);
        assertThat(call(c -> ops.shutdown(pair[0], AioShutdown.WRITE, null, c))).isZero();
        MemorySegment into = arena.allocate(64);
        assertThat(readFully(pair[1], into.asSlice(0, 7))).isEqualTo(7);
        assertThat(text(into, 7)).isEqualTo("request");
        assertThat(read(pair[1], into)).as("end of stream after the shutdown").isZero();
        assertThat(write(pair[0], "more")).as("after its own shutdown").isEqualTo(-AioErrno.EPIPE);
        int reply = write(pair[1], "response");
        if (!ops.supports(AioCapability.UNIX_HALF_CLOSE)) {
            // The end of stream may have ended the whole connection (on a transport that keeps it half-open it
            // did not).
            assertThat(reply).as(AioCompletionRecorder.describe(reply)).isIn(8, -AioErrno.EPIPE);
            return;
        }
        assertThat(reply).as("the other direction is still open: %s", AioCompletionRecorder.describe(reply))
                .isEqualTo(8);
        assertThat(readFully(pair[0], into.asSlice(0, 8))).isEqualTo(8);
        assertThat(text(into, 8)).isEqualTo("response");
    }

    // ---------------------------------------------------------------------------------------------- deadlines

    @Test
    @Timeout(60)
    void connectAndAcceptWithADeadline() {
        UnixDomainSocketAddress address = path("deadline");
        int listener = listenOn(address, 8);
        int timedOut = call(c -> ops.accept(listener, TimeUnit.MILLISECONDS.toNanos(50), null, c));
        assertThat(timedOut).as(AioCompletionRecorder.describe(timedOut)).isEqualTo(-AioErrno.ETIMEDOUT);
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, LONG, null, accepted);
        int client = call(c -> ops.connect(address, LONG, null, c));
        assertThat(client).as(AioCompletionRecorder.describe(client)).isGreaterThanOrEqualTo(0);
        int server = accepted.await();
        assertThat(server).as(AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
        assertThat(write(client, "ok")).isEqualTo(2);
        MemorySegment into = arena.allocate(2);
        assertThat(readFully(server, into)).isEqualTo(2);
        assertThat(text(into, 2)).isEqualTo("ok");
        int missing = call(c -> ops.connect(path("missing"), LONG, null, c));
        assertThat(missing).as(AioCompletionRecorder.describe(missing)).isEqualTo(-AioErrno.ENOENT);
    }

    // ---------------------------------------------------------------------------------------------- listeners

    @Test
    @Timeout(60)
    void closingAListenerCompletesItsPendingAcceptsOnce() {
        int listener = listenOn(path("closing"), 8);
        AioCompletionRecorder<Object> first = recorder();
        AioCompletionRecorder<Object> second = recorder();
        ops.accept(listener, null, first);
        ops.accept(listener, LONG, null, second);
        assertThat(call(c -> ops.close(listener, null, c))).isZero();
        assertThat(first.await()).as(AioCompletionRecorder.describe(first.result())).isEqualTo(-AioErrno.ECANCELED);
        assertThat(second.await()).as(AioCompletionRecorder.describe(second.result()))
                .isEqualTo(-AioErrno.ECANCELED);
        int after = call(c -> ops.accept(listener, null, c));
        assertThat(after).as(AioCompletionRecorder.describe(after)).isEqualTo(-AioErrno.EBADF);
        // closeOperations() checks that no recorder was called twice, also by the instance's close.
    }

    @Test
    @Timeout(60)
    void manyConnectionsToOneListenerAreEachAcceptedOnce() throws IOException {
        UnixDomainSocketAddress address = path("many");
        int count = 32;
        // A backlog that holds every connection: Linux refuses a non-blocking connect of a Unix socket to a full
        // backlog with EAGAIN instead of waiting.
        int listener = listenOn(address, count * 2);
        AioCompletionTally accepts = new AioCompletionTally(ops, count);
        AioCompletionTally connects = new AioCompletionTally(ops, count);
        for (int i = 0; i < count; i++) {
            ops.accept(listener, i, accepts);
        }
        for (int i = 0; i < count; i++) {
            ops.connect(address, i, connects);
        }
        connects.await();
        accepts.await();
        assertThat(accepts.duplicates()).isZero();
        assertThat(connects.duplicates()).isZero();
        Set<Integer> handles = new HashSet<>();
        for (int i = 0; i < count; i++) {
            assertThat(connects.result(i)).as("connect %d: %s", i,
                    AioCompletionRecorder.describe(connects.result(i))).isGreaterThanOrEqualTo(0);
            assertThat(accepts.result(i)).as("accept %d: %s", i,
                    AioCompletionRecorder.describe(accepts.result(i))).isGreaterThanOrEqualTo(0);
            assertThat(handles.add(connects.result(i))).isTrue();
            assertThat(handles.add(accepts.result(i))).isTrue();
            assertThat(ops.localAddress(accepts.result(i))).isEqualTo(address);
        }
    }

    // ------------------------------------------------------------------------------------------------ options

    @Test
    @Timeout(60)
    void optionsOfAUnixSocketAreTheBuffersAndLingerAndTheRestEOPNOTSUPP() throws IOException {
        int[] pair = unixPair(path("options"));
        for (AioSocketOption option : AioSocketOption.values()) {
            if (!option.appliesToUnixSocket()) {
                for (int handle : new int[] {pair[0], pair[1], pair[2]}) {
                    assertErrno(() -> ops.setSocketOption(handle, option, 1), AioErrno.EOPNOTSUPP);
                    assertErrno(() -> ops.socketOption(handle, option), AioErrno.EOPNOTSUPP);
                }
            }
        }
        ops.setSocketOption(pair[0], AioSocketOption.SO_SNDBUF, 64 * 1024);
        assertThat(ops.socketOption(pair[0], AioSocketOption.SO_SNDBUF)).isGreaterThanOrEqualTo(64 * 1024);
        ops.setSocketOption(pair[1], AioSocketOption.SO_RCVBUF, 64 * 1024);
        assertThat(ops.socketOption(pair[1], AioSocketOption.SO_RCVBUF)).isGreaterThanOrEqualTo(64 * 1024);
        ops.setSocketOption(pair[1], AioSocketOption.SO_LINGER, 5);
        assertThat(ops.socketOption(pair[1], AioSocketOption.SO_LINGER)).isEqualTo(5);
        assertErrno(() -> ops.setSocketOption(pair[2], AioSocketOption.SO_SNDBUF, 4096), AioErrno.ENOPROTOOPT);
        if (ops.supports(AioCapability.LISTENER_SOCKET_OPTIONS)) {
            ops.setSocketOption(pair[2], AioSocketOption.SO_RCVBUF, 64 * 1024);
            assertThat(ops.socketOption(pair[2], AioSocketOption.SO_RCVBUF)).isGreaterThanOrEqualTo(64 * 1024);
        } else {
            assertErrno(() -> ops.socketOption(pair[2], AioSocketOption.SO_RCVBUF), AioErrno.EOPNOTSUPP);
        }
    }

    // ------------------------------------------------------------------------------------------------- misuse

    @Test
    @Timeout(60)
    void addressesOfAnotherTypeOrWithAPathThatDoesNotFitThrowAtOnce() {
        AioCompletionRecorder<Object> never = recorder();
        SocketAddress other = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        UnixDomainSocketAddress tooLong = UnixDomainSocketAddress.of(tempDir.resolve("s".repeat(120)));
        UnixDomainSocketAddress empty = UnixDomainSocketAddress.of("");
        for (SocketAddress bad : new SocketAddress[] {other, tooLong, empty}) {
            assertThatThrownBy(() -> ops.listen(bad, 8, null, never)).as("listen %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.connect(bad, null, never)).as("connect %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.connect(bad, LONG, null, never)).as("connect with a deadline %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ops.connect(tooLong, null, never)).hasMessageContaining("sun_path");
        assertThatThrownBy(() -> ops.connect(InetSocketAddress.createUnresolved("example.invalid", 80), null, never))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
        Path notCreated = tooLong.getPath();
        assertThat(notCreated).doesNotExist();
        assertThat(never.calls()).as("nothing was submitted").isZero();
    }
}
