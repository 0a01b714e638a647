package dev.aioops.tck;

import dev.aioops.spi.AioDatagramOperations;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioSocketOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP ({@link AioDatagramOperations}): echo over IPv4 and IPv6 with the sender's address, a connected socket and
 * its null target, a refused datagram reported later as {@code -ECONNREFUSED}, truncation reported by a result
 * larger than the buffer, 10,000 datagrams without loss at a pace the receiver holds, receive deadlines, cancel and
 * close of a pending receive, the errno of each wrong use of a handle, options, shutdown and misuse.
 */
public abstract class DatagramContract extends AioContract {

    private static final long SECOND = 1_000_000_000L;

    /** For subclasses. */
    protected DatagramContract() {
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    private int datagram(InetSocketAddress bind, InetSocketAddress connectTo) {
        int handle = call(c -> ops.openDatagram(bind, connectTo, null, c));
        assertThat(handle).as("openDatagram %s -> %s: %s", bind, connectTo, AioCompletionRecorder.describe(handle))
                .isGreaterThanOrEqualTo(0);
        return handle;
    }

    private int datagram() {
        return datagram(loopback(0), null);
    }

    private int sendTo(int handle, MemorySegment buffer, AioSocketAddress target) {
        return call(c -> ops.sendTo(handle, buffer, target, null, c));
    }

    private int receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos) {
        return call(c -> ops.receive(handle, buffer, sender, timeoutNanos, null, c));
    }

    private AioSocketAddress address(InetSocketAddress address) {
        return AioSocketAddress.of(arena, address);
    }

    private InetSocketAddress local(int handle) {
        return addressOf(handle);
    }

    private int close(int handle) {
        return call(c -> ops.close(handle, null, c));
    }

    // --------------------------------------------------------------------------------------------- echo

    private void echo(InetAddress ip) {
        int server = datagram(new InetSocketAddress(ip, 0), null);
        int client = datagram(new InetSocketAddress(ip, 0), null);
        assertThat(sendTo(client, bytes("ping"), address(local(server)))).isEqualTo(4);

        MemorySegment in = arena.allocate(64);
        AioSocketAddress from = AioSocketAddress.allocate(arena);
        assertThat(receive(server, in, from, 0)).isEqualTo(4);
        assertThat(text(in, 4)).isEqualTo("ping");
        assertThat(from.get()).isEqualTo(local(client));
        // The holder a receive filled is the reply's target as it is.
        assertThat(sendTo(server, in.asSlice(0, 4), from)).isEqualTo(4);
        MemorySegment back = arena.allocate(64);
        AioSocketAddress replier = AioSocketAddress.allocate(arena);
        assertThat(receive(client, back, replier, 30 * SECOND)).isEqualTo(4);
        assertThat(text(back, 4)).isEqualTo("ping");
        assertThat(replier.get()).isEqualTo(local(server));
        assertThat(replier.isIPv6()).isEqualTo(ip.getAddress().length == 16);
    }

    @Test
    @Timeout(60)
    void echoOverIpv4WithTheSendersAddress() throws IOException {
        echo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    @Timeout(60)
    void echoOverIpv6WithTheSendersAddress() throws IOException {
        InetAddress ip6 = InetAddress.getByName("::1");
        assumeTrue(ipv6Loopback(ip6), "this host has no IPv6 loopback (the environment, not the adapter)");
        echo(ip6);
    }

    private static boolean ipv6Loopback(InetAddress ip6) {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(ip6, 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    @Timeout(60)
    void theSendersAddressIsReportedWithoutAllocating() {
        int server = datagram();
        int client = datagram();
        assertThat(sendTo(client, bytes("who"), address(local(server)))).isEqualTo(3);
        AioSocketAddress from = AioSocketAddress.allocate(arena);
        assertThat(from.isSet()).isFalse();
        assertThat(receive(server, arena.allocate(8), from, 0)).isEqualTo(3);
        assertThat(from.isSet()).isTrue();
        assertThat(from.port()).isEqualTo(local(client).getPort());
        assertThat(from.sameAddress(address(local(client)))).isTrue();
        assertThat(from.sameAddress(address(local(server)))).isFalse();
        // Without a holder the datagram arrives all the same.
        assertThat(sendTo(client, bytes("anon"), address(local(server)))).isEqualTo(4);
        MemorySegment in = arena.allocate(8);
        assertThat(receive(server, in, null, 0)).isEqualTo(4);
        assertThat(text(in, 4)).isEqualTo("anon");
    }

    @Test
    @Timeout(60)
    void aConnectedSocketSendsToItsPeerWithANullTarget() throws IOException {
        int server = datagram();
        int client = datagram(loopback(0), local(server));
        assertThat(ops.remoteAddress(client)).isEqualTo(local(server));
        assertThat(sendTo(client, bytes("hello"), null)).isEqualTo(5);
        MemorySegment in = arena.allocate(16);
        AioSocketAddress from = AioSocketAddress.allocate(arena);
        assertThat(receive(server, in, from, 0)).isEqualTo(5);
        assertThat(from.get()).isEqualTo(local(client));
        assertThat(sendTo(server, bytes("world"), from)).isEqualTo(5);
        AioSocketAddress peer = AioSocketAddress.allocate(arena);
        assertThat(receive(client, in, peer, 0)).isEqualTo(5);
        assertThat(text(in, 5)).isEqualTo("world");
        assertThat(peer.get()).isEqualTo(local(server));
    }

    @Test
    @Timeout(60)
    void aNullTargetOnAnUnconnectedSocketIsEdestaddrreqAndATargetOnAConnectedOneEisconn() {
        int unconnected = datagram();
        assertThat(sendTo(unconnected, bytes("x"), null)).isEqualTo(-AioErrno.EDESTADDRREQ);
        int connected = datagram(loopback(0), local(unconnected));
        assertThat(sendTo(connected, bytes("x"), address(local(unconnected)))).isEqualTo(-AioErrno.EISCONN);
        assertThat(sendTo(connected, bytes("y"), null)).as("the socket is still usable").isEqualTo(1);
        MemorySegment in = arena.allocate(4);
        assertThat(receive(unconnected, in, null, 0)).isEqualTo(1);
        assertThat(text(in, 1)).isEqualTo("y");
    }

    // ------------------------------------------------------------------------------------- errors, truncation

    @Test
    @Timeout(60)
    void aDatagramToAnUnreachablePortIsRefusedLaterOnAConnectedSocket() throws IOException {
        int deadPort;
        // A port known to be free: bound, then closed by a blocking JDK channel, whose close releases the socket at
        // once (an adapter's close may complete before a selector has let go of the descriptor).
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(loopback(0));
            deadPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        int client = datagram(loopback(0), loopback(deadPort));
        assertThat(sendTo(client, bytes("anyone?"), null)).as("the send itself succeeds").isEqualTo(7);
        MemorySegment in = arena.allocate(16);
        assertThat(receive(client, in, null, 30 * SECOND)).as("the port unreachable, reported to the receive")
                .isEqualTo(-AioErrno.ECONNREFUSED);
        assertThat(receive(client, in, null, SECOND / 20)).as("reported once").isEqualTo(-AioErrno.ETIMEDOUT);
    }

    @Test
    @Timeout(60)
    void aDatagramLargerThanTheBufferIsReportedTruncated() {
        int server = datagram();
        int client = datagram(loopback(0), local(server));
        MemorySegment big = pattern(1000, 5);
        assertThat(sendTo(client, big, null)).isEqualTo(1000);
        assertThat(sendTo(client, bytes("next"), null)).isEqualTo(4);

        MemorySegment small = arena.allocate(100);
        AioSocketAddress from = AioSocketAddress.allocate(arena);
        int n = receive(server, small, from, 0);
        assertThat(n).as("the full length, larger than the buffer: truncated").isEqualTo(1000);
        assertThat(small.mismatch(big.asSlice(0, 100))).as("its first 100 bytes").isEqualTo(-1L);
        assertThat(from.get()).isEqualTo(local(client));
        assertThat(receive(server, small, null, 0)).as("the rest is gone: the next datagram").isEqualTo(4);
        assertThat(text(small, 4)).isEqualTo("next");
        // A datagram of exactly the buffer's size is not truncated.
        assertThat(sendTo(client, big.asSlice(0, 100), null)).isEqualTo(100);
        assertThat(receive(server, small, null, 0)).isEqualTo(100);
    }

    @Test
    @Timeout(60)
    void anEmptyDatagramIsReceivedButNotSent() throws IOException {
        int server = datagram();
        try (DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            peer.bind(loopback(0));
            peer.send(java.nio.ByteBuffer.allocate(0), local(server));
            AioSocketAddress from = AioSocketAddress.allocate(arena);
            assertThat(receive(server, arena.allocate(8), from, 30 * SECOND)).as("a datagram of 0 bytes").isZero();
            assertThat(from.port()).isEqualTo(((InetSocketAddress) peer.getLocalAddress()).getPort());
        }
        int client = datagram(loopback(0), local(server));
        assertThat(sendTo(client, arena.allocate(0), null)).isEqualTo(-AioErrno.EINVAL);
    }

    @Test
    @Timeout(60)
    void aDatagramOverTheLimitIsEmsgsize() {
        int server = datagram();
        assertThat(sendTo(datagram(), arena.allocate(70_000), address(local(server))))
                .isEqualTo(-AioErrno.EMSGSIZE);
    }

    @Test
    @Timeout(60)
    void bindingAPortInUseIsEaddrinuse() {
        int first = datagram();
        int second = call(c -> ops.openDatagram(local(first), null, null, c));
        assertThat(second).isEqualTo(-AioErrno.EADDRINUSE);
    }

    // ------------------------------------------------------------------------------------------ 10,000

    @Test
    @Timeout(180)
    void tenThousandDatagramsArriveWithoutLossAtAPaceTheReceiverHolds() throws InterruptedException {
        int receiver = datagram();
        int sender = datagram(loopback(0), local(receiver));
        Pacer pacer = new Pacer(receiver, sender, local(sender).getPort());
        ops.execute(pacer::start);
        boolean finished = pacer.done.await(120, TimeUnit.SECONDS);
        assertThat(pacer.failure.get()).isNull();
        assertThat(finished).as("all arrived (sent %d, received %d)", pacer.sent, pacer.received).isTrue();
        assertThat(close(receiver)).isZero();
        assertThat(pacer.settled.await(30, TimeUnit.SECONDS)).as("the receives still posted completed").isTrue();
        assertThat(pacer.failure.get()).isNull();
        assertThat(pacer.seen.cardinality()).isEqualTo(Pacer.TOTAL);
    }

    /**
     * Sends {@link #TOTAL} numbered datagrams one at a time, at most {@link #WINDOW} ahead of what has arrived,
     * while {@link #POSTED} receives stay posted: a loss would stall it. Everything but the start runs in
     * completions, so on the loop, one at a time.
     */
    private final class Pacer {
        static final int TOTAL = 10_000;
        static final int WINDOW = 32;
        static final int POSTED = 16;
        static final int SIZE = 256;

        final int receiver;
        final int sender;
        final int senderPort;
        final MemorySegment out = pattern(SIZE, 11);
        final MemorySegment[] in = new MemorySegment[POSTED];
        final AioSocketAddress[] from = new AioSocketAddress[POSTED];
        final BitSet seen = new BitSet(TOTAL);
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch settled = new CountDownLatch(POSTED);
        final AtomicReference<String> failure = new AtomicReference<>();
        volatile int sent;
        volatile int received;
        boolean sending;

        Pacer(int receiver, int sender, int senderPort) {
            this.receiver = receiver;
            this.sender = sender;
            this.senderPort = senderPort;
            for (int i = 0; i < POSTED; i++) {
                in[i] = arena.allocate(SIZE + 1);
                from[i] = AioSocketAddress.allocate(arena);
            }
        }

        void start() {
            for (int i = 0; i < POSTED; i++) {
                post(i);
            }
            trySend();
        }

        void post(int slot) {
            ops.receive(receiver, in[slot], from[slot], 0, slot, this::onReceive);
        }

        void trySend() {
            if (sending || sent == TOTAL || sent - received >= WINDOW || failure.get() != null) {
                return;
            }
            sending = true;
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, sent);
            ops.sendTo(sender, out, null, null, (result, ignored) -> {
                sending = false;
                if (result != SIZE) {
                    fail("send " + sent + ": " + AioCompletionRecorder.describe(result));
                    return;
                }
                sent++;
                trySend();
            });
        }

        void onReceive(int result, Integer slot) {
            if (received == TOTAL || failure.get() != null) {
                settled.countDown();
                return;
            }
            if (result != SIZE) {
                fail("receive after " + received + ": " + AioCompletionRecorder.describe(result));
                return;
            }
            int seq = in[slot].get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            if (seq < 0 || seq >= TOTAL || seen.get(seq) || from[slot].port() != senderPort) {
                fail("datagram " + seq + " from port " + from[slot].port() + " unexpected");
                return;
            }
            seen.set(seq);
            received++;
            if (received == TOTAL) {
                done.countDown();
            }
            post(slot);
            trySend();
        }

        void fail(String why) {
            failure.compareAndSet(null, why);
            done.countDown();
        }
    }

    // --------------------------------------------------------------------------------------- deadlines

    @Test
    @Timeout(60)
    void aReceiveDeadlineFiresWithEtimedoutAndTakesNoDatagram() {
        int server = datagram();
        MemorySegment in = arena.allocate(16);
        assertThat(receive(server, in, null, SECOND / 20)).isEqualTo(-AioErrno.ETIMEDOUT);
        int client = datagram(loopback(0), local(server));
        assertThat(sendTo(client, bytes("late"), null)).isEqualTo(4);
        assertThat(receive(server, in, null, 0)).as("the socket is still usable").isEqualTo(4);
        assertThat(text(in, 4)).isEqualTo("late");
    }

    @Test
    @Timeout(60)
    void aDatagramThatArrivesBeatsTheDeadline() {
        int server = datagram();
        int client = datagram(loopback(0), local(server));
        MemorySegment in = arena.allocate(16);
        AioCompletionRecorder<Object> received = recorder();
        ops.receive(server, in, null, 30 * SECOND, null, received);
        assertThat(sendTo(client, bytes("in time"), null)).isEqualTo(7);
        assertThat(received.await()).isEqualTo(7);
        assertThat(text(in, 7)).isEqualTo("in time");
    }

    // ---------------------------------------------------------------------------------- cancel, close

    @Test
    @Timeout(60)
    void cancelOfAPendingReceiveGivesEcanceledOnce() {
        int server = datagram();
        AioCompletionRecorder<Object> pending = recorder();
        long token = ops.receive(server, arena.allocate(16), AioSocketAddress.allocate(arena), 0, null, pending);
        assertThat(token).isNotZero();
        ops.cancel(token);
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
        ops.cancel(token);
        int client = datagram(loopback(0), local(server));
        assertThat(sendTo(client, bytes("still"), null)).isEqualTo(5);
        assertThat(receive(server, arena.allocate(16), null, 0)).as("the socket is still usable").isEqualTo(5);
        assertThat(pending.calls()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void closingTheHandleCompletesAPendingReceiveWithEcanceledOnce() {
        int server = datagram();
        AioCompletionRecorder<Object> pending = recorder();
        ops.receive(server, arena.allocate(16), AioSocketAddress.allocate(arena), 0, null, pending);
        assertThat(close(server)).isZero();
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(receive(server, arena.allocate(16), null, 0)).isEqualTo(-AioErrno.EBADF);
        assertThat(sendTo(server, bytes("x"), address(loopback(9)))).isEqualTo(-AioErrno.EBADF);
        assertThat(pending.calls()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void closingTheInstanceCompletesAPendingReceiveWithEcanceledOnce() {
        int server = datagram();
        AioCompletionRecorder<Object> pending = recorder();
        ops.receive(server, arena.allocate(16), AioSocketAddress.allocate(arena), 30 * SECOND, null, pending);
        ops.close();
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(pending.calls()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------ the other operations

    @Test
    @Timeout(60)
    void streamOperationsOnADatagramHandleAndDatagramOperationsElsewhereAreRefused() {
        int d = datagram(loopback(0), loopback(9));
        MemorySegment buffer = arena.allocate(8);
        assertThat(call(c -> ops.read(d, buffer, STREAM, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.write(d, bytes("x"), STREAM, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.read(d, buffer, STREAM, SECOND, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.accept(d, null, c))).isEqualTo(-AioErrno.EOPNOTSUPP);
        int[] tcp = connectedPair();
        assertThat(sendTo(tcp[0], bytes("x"), null)).isEqualTo(-AioErrno.EINVAL);
        assertThat(receive(tcp[1], buffer, null, 0)).isEqualTo(-AioErrno.EINVAL);
        int e = eventfd(0);
        assertThat(sendTo(e, bytes("x"), null)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(receive(e, buffer, null, 0)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(receive(0x7654_3210, buffer, null, 0)).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void optionsAndAddressesOfADatagramSocket() throws IOException {
        int d = datagram();
        assertThat(local(d).getPort()).isPositive();
        assertThat(local(d).getAddress()).isEqualTo(LOOPBACK);
        ops.setSocketOption(d, AioSocketOption.SO_RCVBUF, 65_536);
        assertThat(ops.socketOption(d, AioSocketOption.SO_RCVBUF)).isGreaterThanOrEqualTo(65_536);
        ops.setSocketOption(d, AioSocketOption.SO_REUSEPORT, 1);
        assertThat(ops.socketOption(d, AioSocketOption.SO_REUSEPORT)).isEqualTo(1);
        assertThat(ops.socketOption(d, AioSocketOption.SO_SNDBUF)).isPositive();
        assertThatThrownBy(() -> ops.setSocketOption(d, AioSocketOption.TCP_NODELAY, 1))
                .isInstanceOfSatisfying(AioException.class, e -> assertThat(e.errno()).isEqualTo(AioErrno.ENOPROTOOPT));
        assertThatThrownBy(() -> ops.remoteAddress(d))
                .isInstanceOfSatisfying(AioException.class, e -> assertThat(e.errno()).isEqualTo(AioErrno.ENOTCONN));
    }

    @Test
    @Timeout(60)
    void shutdownOfADatagramSocketIsAsLinuxDoesIt() {
        int server = datagram();
        int client = datagram(loopback(0), local(server));
        AioCompletionRecorder<Object> pending = recorder();
        ops.receive(client, arena.allocate(16), null, 0, null, pending);
        assertThat(call(c -> ops.shutdown(client, AioShutdown.READ, null, c))).isZero();
        assertThat(pending.await()).as("a pending receive sees the shut input").isZero();
        assertThat(receive(client, arena.allocate(16), null, 0)).isZero();
        assertThat(call(c -> ops.shutdown(client, AioShutdown.WRITE, null, c))).isZero();
        assertThat(sendTo(client, bytes("x"), null)).isEqualTo(-AioErrno.EPIPE);
        assertThat(call(c -> ops.shutdown(server, AioShutdown.BOTH, null, c))).as("not connected")
                .isEqualTo(-AioErrno.ENOTCONN);
    }

    @Test
    void misuseThrowsAtOnce() {
        int d = datagram();
        AioCompletionRecorder<Object> never = recorder();
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 9);
        assertThatThrownBy(() -> ops.openDatagram(null, null, null, never)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.openDatagram(unresolved, null, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.openDatagram(loopback(0), new InetSocketAddress("::1", 9), null, never))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family");
        assertThatThrownBy(() -> ops.openDatagram(loopback(0), null, null, null))
                .isInstanceOf(NullPointerException.class);
        AioSocketAddress target = address(loopback(9));
        assertThatThrownBy(() -> ops.sendTo(d, null, target, null, never)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.sendTo(d, MemorySegment.ofArray(new byte[4]), target, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.sendTo(d, bytes("x"), AioSocketAddress.allocate(arena), null, never))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no address");
        assertThatThrownBy(() -> ops.receive(d, arena.allocate(8), null, -1, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.receive(d, arena.allocate(8).asReadOnly(), null, 0, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.receive(d, arena.allocate(8), null, 0, null, null))
                .isInstanceOf(NullPointerException.class);
        AioSocketAddress gone;
        try (Arena closed = Arena.ofConfined()) {
            gone = AioSocketAddress.allocate(closed);
        }
        AioSocketAddress closedHolder = gone;
        assertThatThrownBy(() -> ops.receive(d, arena.allocate(8), closedHolder, 0, null, never))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AioSocketAddress.allocate(arena).set(unresolved))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioSocketAddress.allocate(arena).get()).isInstanceOf(IllegalStateException.class);
        assertThat(never.calls()).as("nothing was submitted").isZero();
        ops.close();
        assertThatThrownBy(() -> ops.openDatagram(loopback(0), null, null, never))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.sendTo(d, bytes("x"), target, null, never))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.receive(d, arena.allocate(8), null, 0, null, never))
                .isInstanceOf(IllegalStateException.class);
        assertThat(never.calls()).as("nothing was submitted after close").isZero();
    }
}
