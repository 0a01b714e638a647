package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import static dev.aioops.spi.AioSocketOption.SO_RCVBUF;
import static dev.aioops.spi.AioSocketOption.SO_REUSEADDR;
import static dev.aioops.spi.AioSocketOption.SO_REUSEPORT;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPCNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AioListenOptions}: an immutable value; only a listener's options, in range. */
class AioListenOptionsTest {

    @Test
    void withReturnsACopyAndTheOriginalIsUnchanged() {
        AioListenOptions reuse = AioListenOptions.reusePort();
        AioListenOptions more = reuse.with(SO_RCVBUF, 4096).with(SO_RCVBUF, 8192);
        assertThat(reuse.options()).containsExactly(SO_REUSEPORT);
        assertThat(more.options()).containsExactly(SO_RCVBUF, SO_REUSEPORT);
        assertThat(more.value(SO_RCVBUF)).as("the later value wins").isEqualTo(8192);
        assertThat(more.reusesPort()).isTrue();
        assertThat(AioListenOptions.defaults().with(SO_REUSEPORT, 0).reusesPort()).isFalse();
        assertThat(AioListenOptions.defaults().isEmpty()).isTrue();
        assertThat(more.toString()).isEqualTo("AioListenOptions{SO_RCVBUF=8192, SO_REUSEPORT=1}");
    }

    @Test
    void equalOptionsAreEqualWhateverTheOrderTheyWereSetIn() {
        AioListenOptions one = AioListenOptions.defaults().with(SO_REUSEADDR, 0).with(TCP_KEEPCNT, 5);
        AioListenOptions two = AioListenOptions.defaults().with(TCP_KEEPCNT, 5).with(SO_REUSEADDR, 0);
        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one).isNotEqualTo(two.with(TCP_KEEPCNT, 6));
    }

    @Test
    void anUnsetOptionHasNoValueAndTheSetIsUnmodifiable() {
        AioListenOptions reuse = AioListenOptions.reusePort();
        assertThatThrownBy(() -> reuse.value(SO_RCVBUF)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reuse.options().add(SO_RCVBUF)).isInstanceOf(UnsupportedOperationException.class);
    }
}
