package dev.aioops.spi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlabBufferPoolTest {

    @Test
    void handsOutEveryBufferOnceThenNull() {
        try (Arena arena = Arena.ofShared()) {
            SlabBufferPool pool = new SlabBufferPool(arena, 4, 8192);
            Set<Long> addresses = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                MemorySegment b = pool.acquire();
                assertThat(b.byteSize()).isEqualTo(8192);
                assertThat(b.address() % 4096).isZero();
                assertThat(pool.contains(b)).isTrue();
                addresses.add(b.address());
            }
            assertThat(addresses).hasSize(4);
            assertThat(pool.acquire()).isNull();
        }
    }

    @Test
    void reusesReleasedBuffersAndCatchesMisuse() {
        try (Arena arena = Arena.ofShared(); Arena other = Arena.ofConfined()) {
            SlabBufferPool pool = new SlabBufferPool(arena, 2, 4096);
            MemorySegment a = pool.acquire();
            pool.release(a);

            assertThatThrownBy(() -> pool.release(a)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already free");
            assertThatThrownBy(() -> pool.release(other.allocate(4096))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a buffer of this pool");
            MemorySegment again = pool.acquire();
            assertThatThrownBy(() -> pool.release(again.asSlice(4, 100)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(pool.contains(again.asSlice(4, 100))).isTrue();
            assertThat(pool.contains(other.allocate(16))).isFalse();
            assertThat(pool.contains(MemorySegment.ofArray(new byte[16]))).isFalse();
        }
    }

    @Test
    void anEmptyPoolHasNothingToGive() {
        try (Arena arena = Arena.ofShared()) {
            SlabBufferPool pool = new SlabBufferPool(arena, 0, 4096);

            assertThat(pool.capacity()).isZero();
            assertThat(pool.bufferSize()).isZero();
            assertThat(pool.acquire()).isNull();
        }
    }

    @Test
    void buffersDieWithTheArena() {
        Arena arena = Arena.ofShared();
        SlabBufferPool pool = new SlabBufferPool(arena, 1, 4096);
        MemorySegment b = pool.acquire();
        arena.close();

        assertThatThrownBy(() -> b.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void neverHandsOneBufferToTwoThreadsAtOnce() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            SlabBufferPool pool = new SlabBufferPool(arena, 16, 4096);
            AtomicIntegerArray owners = new AtomicIntegerArray(16);
            AtomicInteger violations = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < 100_000; i++) {
                        MemorySegment b = pool.acquire();
                        if (b == null) {
                            continue;
                        }
                        int index = (int) ((b.address() - pool.slab().address()) / 4096);
                        if (!owners.compareAndSet(index, 0, 1)) {
                            violations.incrementAndGet();
                        }
                        owners.set(index, 0);
                        pool.release(b);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }

            assertThat(violations.get()).isZero();
            List<MemorySegment> all = new ArrayList<>();
            for (MemorySegment b; (b = pool.acquire()) != null; ) {
                all.add(b);
            }
            assertThat(all).hasSize(16);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
