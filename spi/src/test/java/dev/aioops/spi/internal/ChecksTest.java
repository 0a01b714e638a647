package dev.aioops.spi.internal;

import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksTest {

    @Test
    void buffersMustBeNativeAndAlive() {
        assertThatThrownBy(() -> Checks.buffer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Checks.buffer(MemorySegment.ofArray(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
        Arena arena = Arena.ofConfined();
        MemorySegment closed = arena.allocate(8);
        arena.close();
        assertThatThrownBy(() -> Checks.buffer(closed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (Arena open = Arena.ofConfined()) {
            MemorySegment ok = open.allocate(8);
            assertThat(Checks.buffer(ok)).isSameAs(ok);
        }
    }

    @Test
    void offsetsAreFilePositionsOrStream() {
        assertThat(Checks.offset(AioOperations.STREAM)).isEqualTo(-1);
        assertThat(Checks.offset(0)).isZero();
        assertThatThrownBy(() -> Checks.offset(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STREAM");
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> Checks.timeout(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.backlog(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.signalAmount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.eventfdInitialValue(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Checks.eventfdInitialValue(0xffff_ffffL)).isEqualTo(0xffff_ffffL);
        assertThatThrownBy(() -> Checks.address(InetSocketAddress.createUnresolved("example.invalid", 80)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
    }

    @Test
    void addressesAreInetOrUnixWithAPathThatFits() {
        UnixDomainSocketAddress fits = UnixDomainSocketAddress.of("/tmp/" + "a".repeat(Checks.UNIX_PATH_MAX - 6));
        assertThat(Checks.address(fits)).isSameAs(fits);
        assertThat(Checks.unixPath(fits)).hasSize(Checks.UNIX_PATH_MAX - 1);
        assertThatThrownBy(() -> Checks.address(UnixDomainSocketAddress.of("/tmp/" + "a".repeat(
                Checks.UNIX_PATH_MAX - 5)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sun_path holds 107");
        // Two bytes each in UTF-8: the limit is in bytes, not characters.
        assertThatThrownBy(() -> Checks.address(UnixDomainSocketAddress.of("/tmp/" + "\u00e9".repeat(60))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("125 bytes");
        assertThatThrownBy(() -> Checks.address(UnixDomainSocketAddress.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a path");
        assertThatThrownBy(() -> Checks.address(new SocketAddress() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UnixDomainSocketAddress");
        assertThatThrownBy(() -> Checks.address(null)).isInstanceOf(NullPointerException.class);
    }
}
