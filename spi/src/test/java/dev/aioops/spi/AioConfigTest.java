package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioConfigTest {

    @Test
    void hasDocumentedDefaults() {
        AioConfig c = AioConfig.defaults();

        assertThat(c.threading()).isEqualTo(AioConfig.Threading.OWN_THREAD);
        assertThat(c.queueDepth()).isEqualTo(256);
        assertThat(c.bufferCount()).isEqualTo(64);
        assertThat(c.bufferSize()).isEqualTo(65536);
        assertThat(c.sqPoll()).isFalse();
        assertThat(c.daemon()).isTrue();
        assertThat(c.fileThreads()).isGreaterThanOrEqualTo(4);
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.receiveBufferCount()).isEqualTo(256);
        assertThat(c.receiveBufferSize()).isEqualTo(16 * 1024);
    }

    @Test
    void rejectsOutOfRangeSettingsWithTheRangeInTheMessage() {
        AioConfig.Builder b = AioConfig.builder();

        assertThatThrownBy(() -> b.queueDepth(100)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> b.queueDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.buffers(4, 1000)).hasMessageContaining("multiple of 4096");
        assertThatThrownBy(() -> b.buffers(65536, 1 << 20)).hasMessageContaining("at most 1 GiB");
        assertThatThrownBy(() -> b.receiveBuffers(100, 1024)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> b.receiveBuffers(1, 1024)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> b.receiveBuffers(65536, 1024)).hasMessageContaining("32768");
        assertThatThrownBy(() -> b.receiveBuffers(64, 512)).hasMessageContaining("1 KiB");
        assertThatThrownBy(() -> b.receiveBuffers(32768, 1 << 20)).hasMessageContaining("at most 1 GiB");
        assertThatThrownBy(() -> b.fileThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxKernelWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.closeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.errorHandler(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        AioConfig c = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).threadName("loop")
                .daemon(false).queueDepth(64).buffers(3, 8192).receiveBuffers(64, 4096).fileThreads(2).maxKernelWorkers(5).sqPoll(true)
                .closeTimeout(Duration.ofSeconds(3)).build();

        AioConfig copy = c.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(c);
    }
}
