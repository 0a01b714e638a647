package dev.aioops.examples.resp;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link CommandWriter}'s memory: a big command (a large {@code SET}) must not stay in the connection's heap or
 * native memory once written. The test thread plays the loop; writes complete when the test says.
 */
class CommandWriterTest {

    private final AioOperations ops = mock(AioOperations.class);
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<InvocationOnMock> writes = new ArrayList<>();
    private final List<Integer> results = new ArrayList<>();
    private final Arena arena = Arena.ofShared();
    private CommandWriter writer;

    @BeforeEach
    void writer() {
        doAnswer(call -> tasks.add(call.getArgument(0))).when(ops).execute(any());
        when(ops.write(anyInt(), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> {
            writes.add(call);
            return 1L;
        });
        writer = new CommandWriter(ops, 3, arena, () -> false, results::add);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    @SuppressWarnings("unchecked")
    private static void completeWrite(InvocationOnMock write) {
        MemorySegment buffer = write.getArgument(1);
        ((AioCompletion<Object>) write.getArgument(4)).completed((int) buffer.byteSize(), write.getArgument(3));
    }

    private static byte[] command(int size, byte fill) {
        byte[] command = new byte[size];
        Arrays.fill(command, fill);
        return command;
    }

    @Test
    void a_batch_over_a_mebibyte_has_a_buffer_of_its_own_freed_when_its_write_completes() {
        byte[] big = command(CommandWriter.LARGE_BATCH + 1, (byte) 'x');
        assertThat(writer.append(big)).isTrue();
        runTasks();

        MemorySegment buffer = writes.getFirst().getArgument(1);
        assertThat(buffer.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(big);
        assertThat(writer.outboxCapacity()).as("the big outbox is dropped once copied").isLessThan(64 * 1024);
        assertThat(buffer.scope().isAlive()).isTrue();
        completeWrite(writes.getFirst());

        assertThat(buffer.scope().isAlive()).as("freed with its write").isFalse();
        assertThat(results).containsExactly(CommandWriter.LARGE_BATCH + 1);
        assertThat(writer.writing()).isFalse();
    }

    @Test
    void small_batches_share_the_connection_buffer_and_commands_queued_meanwhile_follow() {
        writer.append(command(100, (byte) 'a'));
        runTasks();
        writer.append(command(CommandWriter.LARGE_BATCH + 1, (byte) 'b')); // while the first write is in flight
        writer.append(command(10, (byte) 'c'));
        runTasks();
        assertThat(writes).hasSize(1);

        completeWrite(writes.getFirst());

        MemorySegment first = writes.getFirst().getArgument(1);
        MemorySegment second = writes.get(1).getArgument(1);
        assertThat(first.scope().isAlive()).as("the shared buffer stays").isTrue();
        assertThat(second.byteSize()).isEqualTo(CommandWriter.LARGE_BATCH + 11);
        assertThat(second.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'b');
        assertThat(second.get(ValueLayout.JAVA_BYTE, second.byteSize() - 1)).isEqualTo((byte) 'c');
        completeWrite(writes.get(1));
        assertThat(second.scope().isAlive()).isFalse();
        assertThat(results).containsExactly(100, CommandWriter.LARGE_BATCH + 11);
    }
}
