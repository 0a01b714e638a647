package dev.aioops.examples.resp;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * {@link RedisClient} against a mocked {@link AioOperations}; the test thread plays the loop: tasks given to
 * {@code execute} wait in {@link #tasks} until {@link #runTasks()}, the pending read waits for
 * {@link #serverSends}, writes complete at once (possibly short).
 */
class RedisClientTest {

    private static final int SOCKET = 3;
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 6379);

    private final AioOperations ops = mock(AioOperations.class);
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Integer> writeSizes = new ArrayList<>();
    private int shortWriteLimit = Integer.MAX_VALUE;
    private int writeResult;
    private InvocationOnMock pendingRead;
    private int pendingReadCompletion;
    private final List<Long> readDeadlines = new ArrayList<>();
    private RedisClient client;

    @SuppressWarnings("unchecked")
    private static void complete(InvocationOnMock call, int completionIndex, int result) {
        ((AioCompletion<Object>) call.getArgument(completionIndex)).completed(result, call.getArgument(completionIndex - 1));
    }

    @BeforeEach
    void connect() {
        when(ops.inLoop()).thenReturn(true);
        doAnswer(call -> tasks.add(call.getArgument(0))).when(ops).execute(any());
        when(ops.connect(eq(ADDRESS), anyLong(), any(), any())).thenAnswer(call -> {
            assertThat((long) call.getArgument(1)).as("the connect carries its deadline").isPositive();
            complete(call, 3, SOCKET); // before connect returns, as an adapter may
            return 1L;
        });
        when(ops.read(eq(SOCKET), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> {
            assertThat(pendingRead).as("one read at a time").isNull();
            pendingRead = call;
            pendingReadCompletion = 4;
            return 2L;
        });
        when(ops.read(eq(SOCKET), any(), eq(AioOperations.STREAM), anyLong(), any(), any())).thenAnswer(call -> {
            assertThat(pendingRead).as("one read at a time").isNull();
            pendingRead = call;
            pendingReadCompletion = 5;
            readDeadlines.add(call.getArgument(3));
            return 2L;
        });
        doAnswer(call -> {
            if ((long) call.getArgument(0) == 2L && pendingRead != null) {
                serverReadResult(-AioErrno.ECANCELED); // the cancel wins, as it does while nothing has arrived
            }
            return null;
        }).when(ops).cancel(anyLong());
        when(ops.write(eq(SOCKET), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> {
            if (writeResult < 0) {
                complete(call, 4, writeResult);
                return 3L;
            }
            MemorySegment buffer = call.getArgument(1);
            int n = (int) Math.min(buffer.byteSize(), shortWriteLimit);
            written.writeBytes(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            writeSizes.add(n);
            complete(call, 4, n);
            return 3L;
        });
        when(ops.close(eq(SOCKET), any(), any())).thenAnswer(call -> {
            if (pendingRead != null) {
                serverReadResult(-AioErrno.ECANCELED);
            }
            complete(call, 2, 0);
            return 4L;
        });
        client = RedisClient.connect(ops, ADDRESS).join();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void serverSends(String bytes) {
        serverSends(bytes.getBytes(StandardCharsets.UTF_8));
    }

    private void serverSends(byte[] bytes) {
        InvocationOnMock read = pendingRead;
        assertThat(read).as("a read is pending").isNotNull();
        pendingRead = null;
        MemorySegment buffer = read.getArgument(1);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        complete(read, pendingReadCompletion, bytes.length);
    }

    private void serverReadResult(int result) {
        InvocationOnMock read = pendingRead;
        pendingRead = null;
        complete(read, pendingReadCompletion, result);
    }

    private String writtenText() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sends_a_command_and_completes_it_with_the_reply() {
        CompletableFuture<RespValue> pong = client.ping();
        runTasks();

        assertThat(writtenText()).isEqualTo("*1\r\n$4\r\nPING\r\n");
        assertThat(pong).isNotDone();
        serverSends("+PONG\r\n");
        assertThat(pong).isCompletedWithValue(new RespValue.SimpleString("PONG"));
    }

    @Test
    void pipelines_the_commands_of_one_turn_in_one_write_and_matches_replies_in_order() {
        CompletableFuture<RespValue> set = client.set("k", "v");
        CompletableFuture<RespValue> incr = client.incr("n");
        CompletableFuture<RespValue> get = client.get("k");
        CompletableFuture<RespValue> mget = client.mget("k", "missing");
        runTasks();

        assertThat(writeSizes).hasSize(1);
        assertThat(writtenText()).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
                + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*3\r\n$4\r\nMGET\r\n$1\r\nk\r\n$7\r\nmissing\r\n");
        String replies = "+OK\r\n:1\r\n$1\r\nv\r\n*2\r\n$1\r\nv\r\n$-1\r\n";
        for (int i = 0; i < replies.length(); i += 3) { // replies split at arbitrary points
            serverSends(replies.substring(i, Math.min(replies.length(), i + 3)));
        }
        assertThat(set).isCompletedWithValue(new RespValue.SimpleString("OK"));
        assertThat(incr).isCompletedWithValue(new RespValue.Integer(1));
        assertThat(get.join().asString()).isEqualTo("v");
        assertThat(mget.join()).isEqualTo(new RespValue.Array(List.of(
                new RespValue.BulkString("v".getBytes(StandardCharsets.UTF_8)), RespValue.Null.INSTANCE)));
    }

    @Test
    void commands_issued_while_a_write_is_in_flight_go_out_together_after_it() {
        doAnswer(call -> {
            written.writeBytes(((MemorySegment) call.getArgument(1)).toArray(ValueLayout.JAVA_BYTE));
            tasks.add(() -> complete(call, 4, (int) ((MemorySegment) call.getArgument(1)).byteSize()));
            return 3L;
        }).when(ops).write(eq(SOCKET), any(), eq(AioOperations.STREAM), any(), any());
        client.ping();
        tasks.poll().run(); // the flush: first write in flight
        client.del("a");
        client.expire("b", 10);
        runTasks();

        verify(ops, times(2)).write(eq(SOCKET), any(), anyLong(), any(), any());
        assertThat(writtenText()).isEqualTo("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n"
                + "*3\r\n$6\r\nEXPIRE\r\n$1\r\nb\r\n$2\r\n10\r\n");
    }

    @Test
    void short_writes_are_continued_until_every_byte_is_out() {
        shortWriteLimit = 5;
        client.set("key", "x".repeat(100));
        runTasks();

        assertThat(writeSizes).hasSizeGreaterThan(20).allMatch(n -> n <= 5);
        assertThat(writtenText()).isEqualTo("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$100\r\n" + "x".repeat(100) + "\r\n");
    }

    @Test
    void a_subscribe_redis_refuses_fails_alone_in_its_place_among_the_replies() {
        CompletableFuture<RespValue> before = client.get("k");
        CompletableFuture<Void> refused = client.pubSub().ssubscribe("shard");
        CompletableFuture<Void> accepted = client.pubSub().subscribe("news");
        CompletableFuture<RespValue> after = client.ping();
        runTasks();

        serverSends("$1\r\nv\r\n-ERR unknown command 'SSUBSCRIBE'\r\n"
                + "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");

        assertThat(before.join().asString()).isEqualTo("v");
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.exceptionNow()).isInstanceOf(RedisCommandException.class).hasMessageContaining("SSUBSCRIBE");
        assertThat(accepted).isCompleted();
        assertThat(after.join().toString()).contains("pong");
        assertThat(client.isOpen()).as("once, the refusal was 'a reply no command asked for'").isTrue();
    }

    @Test
    void a_redis_error_is_a_value_and_the_connection_carries_on() {
        CompletableFuture<RespValue> bad = client.command("NOSUCHCOMMAND");
        CompletableFuture<RespValue> good = client.ping();
        runTasks();
        serverSends("-ERR unknown command 'NOSUCHCOMMAND'\r\n+PONG\r\n");

        assertThat(bad.join()).isEqualTo(new RespValue.Error("ERR unknown command 'NOSUCHCOMMAND'"));
        assertThat(bad.join().isError()).isTrue();
        assertThat(good.join().asString()).isEqualTo("PONG");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void the_server_closing_fails_every_pending_command_and_later_ones() {
        CompletableFuture<RespValue> first = client.ping();
        CompletableFuture<RespValue> second = client.get("k");
        runTasks();
        serverSends("+PONG\r\n");
        serverReadResult(0);

        assertThat(first).isCompletedWithValue(new RespValue.SimpleString("PONG"));
        assertThatThrownBy(second::join).cause().isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(client.isOpen()).isFalse();
        verify(ops).close(eq(SOCKET), any(), any());
        CompletableFuture<RespValue> later = client.ping();
        runTasks();
        assertThatThrownBy(later::join).cause().isInstanceOf(IOException.class);
    }

    @Test
    void a_reset_connection_fails_pending_commands_with_the_errno() {
        CompletableFuture<RespValue> pending = client.ping();
        runTasks();
        serverReadResult(-AioErrno.ECONNRESET);

        assertThatThrownBy(pending::join).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ECONNRESET));
    }

    @Test
    void a_failed_write_fails_pending_commands() {
        writeResult = -AioErrno.EPIPE;
        CompletableFuture<RespValue> pending = client.ping();
        runTasks();

        assertThatThrownBy(pending::join).cause().isInstanceOf(AioException.class).hasMessageContaining("EPIPE");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void an_oversized_reply_fails_the_connection_with_a_protocol_error() {
        client.close();
        runTasks();
        RedisClient bounded = RedisClient.connect(ops, ADDRESS, new RespLimits(8, 8, 4, 64)).join();
        CompletableFuture<RespValue> pending = bounded.get("big");
        runTasks();
        serverSends("$1000000\r\n");

        assertThatThrownBy(pending::join).cause().isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("maxBulkLength");
        assertThat(bounded.isOpen()).isFalse();
    }

    @Test
    void a_reply_nobody_asked_for_is_a_protocol_error() {
        serverSends("+SURPRISE\r\n");
        assertThat(client.isOpen()).isFalse();
        verify(ops).close(eq(SOCKET), any(), any());
    }

    @Test
    void close_fails_pending_commands_and_is_idempotent() {
        CompletableFuture<RespValue> pending = client.ping();
        runTasks();
        client.close();
        client.close();

        assertThatThrownBy(pending::join).cause().hasMessageContaining("closed");
        verify(ops, times(1)).close(eq(SOCKET), any(), any());
    }

    @Test
    void commands_from_another_thread_go_through_execute() throws Exception {
        when(ops.inLoop()).thenReturn(false);
        CompletableFuture<CompletableFuture<RespValue>> fromOtherThread = CompletableFuture.supplyAsync(client::ping);
        CompletableFuture<RespValue> pong = fromOtherThread.get();
        assertThat(writtenText()).isEmpty();

        runTasks();
        serverSends("+PONG\r\n");
        assertThat(pong).isCompletedWithValue(new RespValue.SimpleString("PONG"));
    }

    @Test
    void commands_after_the_operations_closed_fail_at_once() {
        when(ops.inLoop()).thenReturn(false);
        doAnswer(call -> {
            throw new IllegalStateException("closed");
        }).when(ops).execute(any());

        assertThatThrownBy(client.ping()::join).cause().isInstanceOf(IOException.class);
    }

    @Test
    void a_refused_connection_fails_connect() {
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", 1);
        when(ops.connect(eq(nobody), anyLong(), any(), any())).thenAnswer(call -> {
            complete(call, 3, -AioErrno.ECONNREFUSED);
            return 1L;
        });

        assertThatThrownBy(RedisClient.connect(ops, nobody)::join).cause().isInstanceOf(AioException.class)
                .hasMessageContaining("ECONNREFUSED");
    }

    @Test
    void a_connect_past_its_deadline_fails_with_a_timeout() {
        InetSocketAddress silent = new InetSocketAddress("127.0.0.1", 2);
        when(ops.connect(eq(silent), anyLong(), any(), any())).thenAnswer(call -> {
            complete(call, 3, -AioErrno.ETIMEDOUT);
            return 1L;
        });

        assertThatThrownBy(RedisClient.connect(ops, silent)::join).cause()
                .isInstanceOf(RedisTimeoutException.class).hasMessageContaining("took longer than PT10S");
    }

    @Test
    void the_idle_read_carries_the_default_timeout_so_that_a_command_with_it_does_not_re_arm_it() {
        assertThat(readDeadlines).as("the idle read").hasSize(1);
        assertThat(readDeadlines.getFirst()).isBetween(1L, Duration.ofSeconds(60).toNanos());
        CompletableFuture<RespValue> ping = client.ping();
        runTasks();
        assertThat(readDeadlines).as("no cancel and new read for a command due after the idle read").hasSize(1);
        serverReadResult(-AioErrno.ETIMEDOUT);
        assertThat(client.isOpen()).as("the idle deadline passed, the command's has not").isTrue();
        assertThat(readDeadlines).as("the read armed again with the command's deadline").hasSize(2);
        assertThat(ping).isNotDone();
        serverSends("+PONG\r\n");
        assertThat(ping.join()).isEqualTo(new RespValue.SimpleString("PONG"));
        assertThat(readDeadlines).as("idle again: the default timeout").hasSize(3);
    }

    @Test
    void a_command_with_a_shorter_timeout_re_arms_the_read_with_it() {
        client.ping();
        runTasks();
        client.command(Duration.ofMillis(50), "GET", "k");
        runTasks();
        assertThat(readDeadlines).hasSize(2);
        assertThat(readDeadlines.getLast()).isBetween(1L, Duration.ofMillis(50).toNanos());
    }

    @Test
    void a_late_reply_fails_every_pending_command_with_a_timeout_and_closes() {
        CompletableFuture<RespValue> first = client.command(Duration.ofMillis(20), "GET", "k");
        CompletableFuture<RespValue> second = client.ping();
        runTasks();
        serverReadResult(-AioErrno.ETIMEDOUT);

        assertThatThrownBy(first::join).cause().isInstanceOf(RedisTimeoutException.class)
                .hasMessageContaining("PT0.02S");
        assertThatThrownBy(second::join).cause().isInstanceOf(RedisTimeoutException.class);
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(client.ping()::join).cause().isInstanceOf(RedisTimeoutException.class);
    }
}
