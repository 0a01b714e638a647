package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioVectorTest {

    @Test
    void each_added_segment_is_an_iovec_the_kernel_can_read_as_it_is() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment head = arena.allocate(10);
            MemorySegment body = arena.allocate(4096);
            AioVector vector = AioVector.allocate(arena, 4).add(head).add(body);

            assertThat(vector.count()).isEqualTo(2);
            assertThat(vector.byteSize()).isEqualTo(4106);
            assertThat(vector.segment(1)).isSameAs(body);
            MemorySegment iovecs = vector.iovecs();
            assertThat(iovecs.get(JAVA_LONG, 0)).isEqualTo(head.address());
            assertThat(iovecs.get(JAVA_LONG, 8)).isEqualTo(10);
            assertThat(iovecs.get(JAVA_LONG, 16)).isEqualTo(body.address());
            assertThat(iovecs.get(JAVA_LONG, 24)).isEqualTo(4096);
        }
    }

    @Test
    void cleared_vector_is_reused_without_growing() {
        try (Arena arena = Arena.ofConfined()) {
            AioVector vector = AioVector.allocate(arena, 1).add(arena.allocate(8));
            MemorySegment iovecs = vector.iovecs();
            MemorySegment next = arena.allocate(16);
            vector.clear().add(next);

            assertThat(vector.iovecs()).isSameAs(iovecs);
            assertThat(vector.count()).isEqualTo(1);
            assertThat(vector.byteSize()).isEqualTo(16);
            assertThat(iovecs.get(JAVA_LONG, 0)).isEqualTo(next.address());
        }
    }

    @Test
    void misuse_says_what_to_do() {
        try (Arena arena = Arena.ofConfined()) {
            AioVector vector = AioVector.allocate(arena, 1);
            assertThatThrownBy(() -> vector.add(MemorySegment.ofArray(new byte[8])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
            vector.add(arena.allocate(8));
            assertThatThrownBy(() -> vector.add(arena.allocate(8)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
            assertThatThrownBy(() -> vector.segment(1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> AioVector.allocate(arena, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AioVector.allocate(arena, AioVector.MAX_SEGMENTS + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IOV_MAX");
        }
        Arena closed = Arena.ofConfined();
        MemorySegment dead = closed.allocate(8);
        closed.close();
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> AioVector.allocate(arena, 1).add(dead))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }
}
