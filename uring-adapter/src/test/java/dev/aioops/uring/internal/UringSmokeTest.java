package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class UringSmokeTest {

    @TempDir
    Path dir;

    @Test
    void timeoutFiresWithZero() {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            Results r = new Results();
            long token = ops.timeout(1_000_000, null, r);
            assertThat(token).isNotZero();
            assertThat(r.await()).isZero();
        }
    }

    @Test
    void writesAndReadsAFile() throws Exception {
        Path file = dir.resolve("f");
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults()); Arena arena = Arena.ofShared()) {
            Results open = new Results();
            ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE, AioOpenOption.CREATE), null, open);
            int fd = open.await();
            assertThat(fd).isGreaterThan(2);
            MemorySegment out = arena.allocateFrom("hello io_uring");
            Results w = new Results();
            ops.write(fd, out, 10, null, w);
            assertThat(w.await()).isEqualTo((int) out.byteSize());
            MemorySegment in = arena.allocate(out.byteSize());
            Results rd = new Results();
            ops.read(fd, in, 10, null, rd);
            assertThat(rd.await()).isEqualTo((int) out.byteSize());
            assertThat(in.getString(0)).isEqualTo("hello io_uring");
            Results fs = new Results();
            ops.fsync(fd, null, fs);
            assertThat(fs.await()).isZero();
            Results cl = new Results();
            ops.close(fd, null, cl);
            assertThat(cl.await()).isZero();
            assertThat(Files.size(file)).isEqualTo(10 + out.byteSize());
            Results bad = new Results();
            ops.read(fd, in, 0, null, bad);
            assertThat(bad.await()).isEqualTo(-AioErrno.EBADF);
        }
    }

    @Test
    void registeredBufferIsUsed() throws Exception {
        Path file = dir.resolve("g");
        Files.write(file, new byte[]{1, 2, 3, 4, 5});
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().buffers(4, 4096).build())) {
            Results open = new Results();
            ops.open(file, Set.of(), null, open);
            int fd = open.await();
            MemorySegment buf = ops.buffers().acquire();
            Results rd = new Results();
            ops.read(fd, buf, 1, null, rd);
            assertThat(rd.await()).isEqualTo(4);
            assertThat(buf.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 2);
            ops.buffers().release(buf);
        }
    }

    @Test
    void eventfdReadWaitsForSignal() {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults()); Arena arena = Arena.ofShared()) {
            Results ev = new Results();
            ops.eventfd(0, null, ev);
            int fd = ev.await();
            MemorySegment buf = arena.allocate(8);
            Results rd = new Results();
            ops.read(fd, buf, -1, null, rd);
            Results t = new Results();
            ops.timeout(50_000_000, null, t);
            t.await();
            assertThat(rd.isDone()).as("read completed before any signal").isFalse();
            assertThat(ops.signal(fd, 3)).isTrue();
            assertThat(ops.signal(fd, 4)).isTrue();
            assertThat(rd.await()).isEqualTo(8);
            long v = buf.get(ValueLayout.JAVA_LONG, 0);
            assertThat(v).isBetween(3L, 7L);
        }
    }

    @Test
    void socketsEcho() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults()); Arena arena = Arena.ofShared()) {
            Results l = new Results();
            ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, null, l);
            int listener = l.await();
            assertThat(listener).isPositive();
            int port = ((InetSocketAddress) ops.localAddress(listener)).getPort();
            Results acc = new Results();
            ops.accept(listener, null, acc);
            Results con = new Results();
            ops.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, con);
            int client = con.await();
            int server = acc.await();
            assertThat(client).isPositive();
            assertThat(server).isPositive();
            MemorySegment msg = arena.allocateFrom("ping");
            Results w = new Results();
            ops.write(client, msg, -1, null, w);
            assertThat(w.await()).isEqualTo(5);
            MemorySegment in = arena.allocate(16);
            Results rd = new Results();
            ops.read(server, in, -1, null, rd);
            assertThat(rd.await()).isEqualTo(5);
            assertThat(in.getString(0)).isEqualTo("ping");
            Results pending = new Results();
            ops.read(server, in, -1, null, pending);
            Results c = new Results();
            ops.close(server, null, c);
            assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
            assertThat(c.await()).isZero();
        }
    }

    @Test
    void closeCancelsEverything() {
        UringAioOperations ops = UringAioOperations.open(AioConfig.defaults());
        Results[] rs = new Results[100];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = new Results();
            ops.timeout(60_000_000_000L, null, rs[i]);
        }
        ops.close();
        for (Results r : rs) {
            assertThat(r.isDone()).isTrue();
            assertThat(r.await()).isEqualTo(-AioErrno.ECANCELED);
        }
    }

    @Test
    void hostDriven() {
        AioConfig config = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        try (UringAioOperations ops = UringAioOperations.open(config)) {
            Results r = new Results();
            ops.timeout(1_000_000, null, r);
            while (!r.isDone()) {
                ops.runOnce(-1);
            }
            assertThat(r.await()).isZero();
            assertThat(r.thread()).isSameAs(Thread.currentThread());
        }
    }
}
