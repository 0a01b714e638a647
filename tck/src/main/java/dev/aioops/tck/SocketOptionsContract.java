package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOperations;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioTransfers;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static dev.aioops.spi.AioSocketOption.SO_KEEPALIVE;
import static dev.aioops.spi.AioSocketOption.SO_LINGER;
import static dev.aioops.spi.AioSocketOption.SO_RCVBUF;
import static dev.aioops.spi.AioSocketOption.SO_REUSEADDR;
import static dev.aioops.spi.AioSocketOption.SO_REUSEPORT;
import static dev.aioops.spi.AioSocketOption.SO_SNDBUF;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPCNT;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPIDLE;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPINTVL;
import static dev.aioops.spi.AioSocketOption.TCP_NODELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket operations of {@link AioSocketOperations}: options set and read back, the peer's address, and
 * half-closing a connection with {@link AioSocketOperations#shutdown}, with the errno of each misuse.
 */
public abstract class SocketOptionsContract extends AioContract {

    /** For subclasses. */
    protected SocketOptionsContract() {
    }

    private int shutdown(int handle, AioShutdown how) {
        return call(c -> ops.shutdown(handle, how, null, c));
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

    private int write(int handle, String text) {
        return call(c -> ops.write(handle, bytes(text), AioOperations.STREAM, null, c));
    }

    private void setAndRead(int handle, AioSocketOption option, int value) throws IOException {
        ops.setSocketOption(handle, option, value);
        assertThat(ops.socketOption(handle, option)).as("%s after setting %d", option, value).isEqualTo(value);
    }

    private static void assertErrno(ThrowingCallable call, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).as("%s", e.getMessage()).isEqualTo(errno));
    }

    private Path file() throws IOException {
        Path path = tempDir.resolve("not-a-socket");
        java.nio.file.Files.writeString(path, "x");
        return path;
    }

    // ----------------------------------------------------------------------------------------------- options

    @Test
    @Timeout(60)
    void tcpNoDelayIsOnAfterAcceptAndConnectAndCanBeTurnedOff() throws IOException {
        int[] pair = connectedPair();
        assertThat(ops.socketOption(pair[0], TCP_NODELAY)).isEqualTo(1);
        assertThat(ops.socketOption(pair[1], TCP_NODELAY)).isEqualTo(1);
        setAndRead(pair[0], TCP_NODELAY, 0);
        setAndRead(pair[0], TCP_NODELAY, 1);
    }

    @Test
    @Timeout(60)
    void keepAliveTurnsOnAndOff() throws IOException {
        int[] pair = connectedPair();
        setAndRead(pair[1], SO_KEEPALIVE, 1);
        setAndRead(pair[1], SO_KEEPALIVE, 0);
    }

    @Test
    @Timeout(60)
    void keepAliveTimersReadBackWhatWasSet() throws IOException {
        int[] pair = connectedPair();
        setAndRead(pair[0], TCP_KEEPIDLE, 45);
        setAndRead(pair[0], TCP_KEEPINTVL, 7);
        setAndRead(pair[0], TCP_KEEPCNT, 3);
    }

    @Test
    @Timeout(60)
    void receiveBufferIsAtLeastWhatWasSet() throws IOException {
        int[] pair = connectedPair();
        ops.setSocketOption(pair[0], SO_RCVBUF, 32 * 1024);
        assertThat(ops.socketOption(pair[0], SO_RCVBUF)).isGreaterThanOrEqualTo(32 * 1024);
    }

    @Test
    @Timeout(60)
    void sendBufferIsAtLeastWhatWasSet() throws IOException {
        int[] pair = connectedPair();
        ops.setSocketOption(pair[1], SO_SNDBUF, 48 * 1024);
        assertThat(ops.socketOption(pair[1], SO_SNDBUF)).isGreaterThanOrEqualTo(48 * 1024);
    }

    @Test
    @Timeout(60)
    void lingerIsOffAtFirstThenSecondsThenResetThenOffAgain() throws IOException {
        int[] pair = connectedPair();
        assertThat(ops.socketOption(pair[0], SO_LINGER)).isEqualTo(-1);
        setAndRead(pair[0], SO_LINGER, 5);
        setAndRead(pair[0], SO_LINGER, 0);
        setAndRead(pair[0], SO_LINGER, -1);
    }

    @Test
    @Timeout(60)
    void lingerZeroResetsTheConnectionAtClose() throws IOException {
        int[] pair = connectedPair();
        ops.setSocketOption(pair[0], SO_LINGER, 0);
        assertThat(call(c -> ops.close(pair[0], null, c))).isZero();
        assertThat(read(pair[1], arena.allocate(16))).as("the peer sees a reset, not an end of stream")
                .isEqualTo(-AioErrno.ECONNRESET);
    }

    @Test
    @Timeout(60)
    void reuseFlagsTurnOnAndOff() throws IOException {
        int[] pair = connectedPair();
        setAndRead(pair[0], SO_REUSEADDR, 1);
        setAndRead(pair[0], SO_REUSEADDR, 0);
        setAndRead(pair[0], SO_REUSEPORT, 1);
        setAndRead(pair[0], SO_REUSEPORT, 0);
    }

    @Test
    @Timeout(60)
    void aListenerHasReuseAddrAndTakesItsOwnOptions() throws IOException {
        int listener = listen();
        if (!ops.supports(AioCapability.LISTENER_SOCKET_OPTIONS)) {
            assertErrno(() -> ops.socketOption(listener, SO_REUSEADDR), AioErrno.EOPNOTSUPP);
            assertErrno(() -> ops.setSocketOption(listener, SO_RCVBUF, 4096), AioErrno.EOPNOTSUPP);
            return;
        }
        assertThat(ops.socketOption(listener, SO_REUSEADDR)).as("listen sets SO_REUSEADDR").isEqualTo(1);
        ops.setSocketOption(listener, SO_RCVBUF, 64 * 1024);
        assertThat(ops.socketOption(listener, SO_RCVBUF)).isGreaterThanOrEqualTo(64 * 1024);
        setAndRead(listener, TCP_KEEPIDLE, 30);
    }

    @Test
    @Timeout(60)
    void connectionOptionsOnAListenerAreENOPROTOOPT() {
        int listener = listen();
        for (AioSocketOption option : AioSocketOption.values()) {
            if (!option.appliesToListener()) {
                assertErrno(() -> ops.setSocketOption(listener, option, 1), AioErrno.ENOPROTOOPT);
                assertErrno(() -> ops.socketOption(listener, option), AioErrno.ENOPROTOOPT);
            }
        }
    }

    @Test
    @Timeout(60)
    void valuesOutOfRangeAreEINVALAndChangeNothing() throws IOException {
        int[] pair = connectedPair();
        assertErrno(() -> ops.setSocketOption(pair[0], SO_RCVBUF, -1), AioErrno.EINVAL);
        assertErrno(() -> ops.setSocketOption(pair[0], SO_SNDBUF, -4096), AioErrno.EINVAL);
        assertErrno(() -> ops.setSocketOption(pair[0], SO_LINGER, -2), AioErrno.EINVAL);
        assertErrno(() -> ops.setSocketOption(pair[0], TCP_NODELAY, 2), AioErrno.EINVAL);
        assertErrno(() -> ops.setSocketOption(pair[0], TCP_KEEPIDLE, 0), AioErrno.EINVAL);
        assertErrno(() -> ops.setSocketOption(pair[0], TCP_KEEPCNT, 128), AioErrno.EINVAL);
        assertThat(ops.socketOption(pair[0], TCP_NODELAY)).isEqualTo(1);
        assertThat(ops.socketOption(pair[0], SO_LINGER)).isEqualTo(-1);
    }

    @Test
    @Timeout(60)
    void optionsOfAnUnknownOrClosedHandleAreEBADF() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.close(pair[0], null, c))).isZero();
        for (int handle : new int[] {1_234_567, pair[0]}) {
            assertErrno(() -> ops.setSocketOption(handle, TCP_NODELAY, 1), AioErrno.EBADF);
            assertErrno(() -> ops.socketOption(handle, SO_RCVBUF), AioErrno.EBADF);
            assertErrno(() -> ops.remoteAddress(handle), AioErrno.EBADF);
        }
    }

    @Test
    @Timeout(60)
    void optionsOfAFileAreENOTSOCK() throws IOException {
        int file = open(file(), AioOpenOption.READ);
        assertErrno(() -> ops.setSocketOption(file, SO_KEEPALIVE, 1), AioErrno.ENOTSOCK);
        assertErrno(() -> ops.socketOption(file, SO_KEEPALIVE), AioErrno.ENOTSOCK);
        assertErrno(() -> ops.remoteAddress(file), AioErrno.ENOTSOCK);
    }

    @Test
    @Timeout(60)
    void optionsOfAnEventfdAreENOTSOCK() {
        int efd = eventfd(0);
        assertErrno(() -> ops.setSocketOption(efd, TCP_NODELAY, 1), AioErrno.ENOTSOCK);
        assertErrno(() -> ops.socketOption(efd, SO_SNDBUF), AioErrno.ENOTSOCK);
        assertErrno(() -> ops.remoteAddress(efd), AioErrno.ENOTSOCK);
    }

    @Test
    @Timeout(60)
    void aNullOptionThrowsNullPointerException() {
        int[] pair = connectedPair();
        assertThatThrownBy(() -> ops.setSocketOption(pair[0], null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.socketOption(pair[0], null)).isInstanceOf(NullPointerException.class);
    }

    // ----------------------------------------------------------------------------------------- remote address

    @Test
    @Timeout(60)
    void remoteAddressIsTheOtherSidesLocalAddress() throws IOException {
        int[] pair = connectedPair();
        assertThat(ops.remoteAddress(pair[0])).isEqualTo(ops.localAddress(pair[1]));
        assertThat(ops.remoteAddress(pair[1])).isEqualTo(ops.localAddress(pair[0]));
    }

    @Test
    @Timeout(60)
    void remoteAddressOfAListenerIsENOTCONN() {
        int listener = listen();
        assertErrno(() -> ops.remoteAddress(listener), AioErrno.ENOTCONN);
    }

    // ---------------------------------------------------------------------------------------------- shutdown

    @Test
    @Timeout(60)
    void shutdownWriteEndsThePeersStreamWhileThePeerCanStillWrite() {
        int[] pair = connectedPair();
        int client = pair[0];
        int server = pair[1];
        assertThat(write(client, "last words")).isEqualTo(10);
        assertThat(shutdown(client, AioShutdown.WRITE)).isZero();
        MemorySegment into = arena.allocate(64);
        assertThat(readFully(server, into.asSlice(0, 10))).isEqualTo(10);
        assertThat(text(into, 10)).isEqualTo("last words");
        assertThat(read(server, into)).as("end of stream after the FIN").isZero();
        assertThat(write(server, "reply")).as("the other direction is still open").isEqualTo(5);
        assertThat(readFully(client, into.asSlice(0, 5))).isEqualTo(5);
        assertThat(text(into, 5)).isEqualTo("reply");
    }

    @Test
    @Timeout(60)
    void shutdownWriteThenWritingFailsWithEPIPE() {
        int[] pair = connectedPair();
        assertThat(shutdown(pair[0], AioShutdown.WRITE)).isZero();
        assertThat(write(pair[0], "too late")).isEqualTo(-AioErrno.EPIPE);
    }

    @Test
    @Timeout(60)
    void shutdownReadCompletesAPendingReadWithZero() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> pending = recorder();
        ops.read(pair[0], arena.allocate(16), AioOperations.STREAM, null, pending);
        assertThat(shutdown(pair[0], AioShutdown.READ)).isZero();
        assertThat(pending.await()).as(AioCompletionRecorder.describe(pending.result())).isZero();
        assertThat(read(pair[0], arena.allocate(16))).as("a later read").isZero();
    }

    @Test
    @Timeout(60)
    void shutdownBothEndsTheStreamOnBothSides() {
        int[] pair = connectedPair();
        assertThat(shutdown(pair[1], AioShutdown.BOTH)).isZero();
        assertThat(read(pair[1], arena.allocate(16))).isZero();
        assertThat(read(pair[0], arena.allocate(16))).isZero();
    }

    @Test
    @Timeout(60)
    void shutdownOfAListenerIsENOTCONN() {
        int listener = listen();
        assertThat(shutdown(listener, AioShutdown.BOTH)).isEqualTo(-AioErrno.ENOTCONN);
    }

    @Test
    @Timeout(60)
    void shutdownOfAFileOrEventfdIsENOTSOCKAndOfAnUnknownHandleEBADF() throws IOException {
        int file = open(file(), AioOpenOption.READ);
        int efd = eventfd(0);
        assertThat(shutdown(file, AioShutdown.WRITE)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(shutdown(efd, AioShutdown.READ)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(shutdown(1_234_567, AioShutdown.BOTH)).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void shutdownWithoutHowThrowsNullPointerException() {
        int[] pair = connectedPair();
        assertThatThrownBy(() -> ops.shutdown(pair[0], null, null, (r, a) -> { }))
                .isInstanceOf(NullPointerException.class);
    }
}
