package dev.aioops.tck;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter-owned buffer pool ({@link AioOperations#buffers()}): sizes, exhaustion, release rules, I/O with
 * pooled buffers, and its end with the instance. Relies on {@link #config()} asking for 8 buffers of 64 KiB.
 */
public abstract class BufferPoolContract extends AioContract {

    /** For subclasses. */
    protected BufferPoolContract() {
    }

    @Test
    @Timeout(60)
    void thePoolHasTheConfiguredShape() {
        AioBufferPool pool = ops.buffers();
        assertThat(pool.capacity()).isEqualTo(config().bufferCount());
        assertThat(pool.bufferSize()).isEqualTo(config().bufferSize());
    }

    @Test
    @Timeout(60)
    void acquireHandsOutDistinctNativeBuffersUntilExhausted() {
        AioBufferPool pool = ops.buffers();
        List<MemorySegment> taken = new ArrayList<>();
        for (int i = 0; i < pool.capacity(); i++) {
            MemorySegment b = pool.acquire();
            assertThat(b).isNotNull();
            assertThat(b.isNative()).isTrue();
            assertThat(b.byteSize()).isEqualTo(pool.bufferSize());
            for (MemorySegment other : taken) {
                assertThat(b.address()).isNotEqualTo(other.address());
            }
            taken.add(b);
        }
        assertThat(pool.acquire()).as("an exhausted pool").isNull();
        pool.release(taken.removeFirst());
        assertThat(pool.acquire()).isNotNull();
    }

    @Test
    @Timeout(60)
    void releaseRejectsDoubleReleaseAndForeignSegments() {
        AioBufferPool pool = ops.buffers();
        MemorySegment b = pool.acquire();
        pool.release(b);
        assertThatThrownBy(() -> pool.release(b)).isInstanceOf(IllegalArgumentException.class);
        MemorySegment foreign = arena.allocate(pool.bufferSize());
        assertThatThrownBy(() -> pool.release(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.release(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Timeout(60)
    void containsKnowsItsOwnMemory() {
        AioBufferPool pool = ops.buffers();
        MemorySegment b = pool.acquire();
        assertThat(pool.contains(b)).isTrue();
        assertThat(pool.contains(b.asSlice(100, 200))).isTrue();
        assertThat(pool.contains(arena.allocate(64))).isFalse();
        pool.release(b);
    }

    @Test
    @Timeout(60)
    void pooledBuffersWorkForFileIo() {
        AioBufferPool pool = ops.buffers();
        MemorySegment out = pool.acquire();
        MemorySegment in = pool.acquire();
        for (int i = 0; i < out.byteSize(); i++) {
            out.set(ValueLayout.JAVA_BYTE, i, patternByte(i, 17));
        }
        Path file = tempDir.resolve("pooled");
        int h = open(file, AioOpenOption.READ, AioOpenOption.WRITE, AioOpenOption.CREATE);
        assertThat(call(c -> ops.write(h, out, 4096, null, c))).isEqualTo((int) out.byteSize());
        assertThat(call(c -> ops.read(h, in, 4096, null, c))).isEqualTo((int) in.byteSize());
        assertThat(in.mismatch(out)).isEqualTo(-1L);
        pool.release(out);
        pool.release(in);
    }

    @Test
    @Timeout(60)
    void pooledBuffersWorkForSockets() {
        AioBufferPool pool = ops.buffers();
        int[] pair = connectedPair();
        MemorySegment out = pool.acquire().asSlice(0, 1000);
        out.fill((byte) 'z');
        MemorySegment in = pool.acquire();
        assertThat(call(c -> ops.write(pair[0], out, AioOperations.STREAM, null, c))).isEqualTo(1000);
        assertThat(call(c -> {
            dev.aioops.spi.AioTransfers.readFully(ops, pair[1], in.asSlice(0, 1000), AioOperations.STREAM, null, c);
            return 1;
        })).isEqualTo(1000);
        assertThat(in.get(ValueLayout.JAVA_BYTE, 999)).isEqualTo((byte) 'z');
    }

    @Test
    @Timeout(60)
    void thePoolEndsWithTheInstance() {
        AioBufferPool pool = ops.buffers();
        MemorySegment b = pool.acquire();
        ops.close();
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }
}
