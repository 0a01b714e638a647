package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioErrnoTest {

    @Test
    void usesLinuxNumbering() {
        assertThat(new int[]{AioErrno.ENOENT, AioErrno.EBADF, AioErrno.EAGAIN, AioErrno.EINVAL, AioErrno.EPIPE,
                AioErrno.EOPNOTSUPP, AioErrno.ECONNRESET, AioErrno.ECONNREFUSED, AioErrno.ECANCELED})
                .containsExactly(2, 9, 11, 22, 32, 95, 104, 111, 125);
    }

    @Test
    void namesAndDescribesPositiveAndNegatedValues() {
        assertThat(AioErrno.name(-AioErrno.ECANCELED)).isEqualTo("ECANCELED");
        assertThat(AioErrno.name(AioErrno.EBADF)).isEqualTo("EBADF");
        assertThat(AioErrno.description(-AioErrno.ECONNREFUSED)).isEqualTo("Connection refused");
        assertThat(AioErrno.name(77)).isEqualTo("errno 77");
        assertThat(AioErrno.description(-4000)).isEqualTo("Unknown error 4000");
    }

    @Test
    void turnsAFailedResultIntoAnExceptionWithContext() {
        AioException e = AioErrno.exception(-AioErrno.ENOENT, "open /data/x");

        assertThat(e).hasMessage("open /data/x: No such file or directory (ENOENT)");
        assertThat(e.errno()).isEqualTo(AioErrno.ENOENT);
        assertThat(AioErrno.exception(-AioErrno.EPIPE, null)).hasMessage("Broken pipe (EPIPE)");
    }

    @Test
    void checkPassesSuccessesAndThrowsFailures() throws AioException {
        assertThat(AioErrno.check(42, "read")).isEqualTo(42);
        assertThatThrownBy(() -> AioErrno.check(-AioErrno.EBADF, "read"))
                .isInstanceOf(AioException.class)
                .hasMessage("read: Bad file descriptor (EBADF)");
        assertThatThrownBy(() -> AioErrno.exception(0, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
