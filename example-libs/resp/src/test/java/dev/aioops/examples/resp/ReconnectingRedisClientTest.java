package dev.aioops.examples.resp;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link ReconnectingRedisClient}'s pub/sub across reconnects, against a mocked {@link AioOperations} whose test
 * thread plays the loop: every connect makes a new socket, the server's bytes are fed to the read pending on it,
 * reconnect timers fire when {@link #fireTimers()} says so. The shard channels are here because the Redis of the
 * cross-adapter suite (6.2) has no {@code SSUBSCRIBE}.
 */
class ReconnectingRedisClientTest {

    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 6379);
    private static final ReconnectPolicy POLICY = new ReconnectPolicy(Duration.ofMillis(10), Duration.ofMillis(10), 0,
            Duration.ofSeconds(30), 100);

    private final AioOperations ops = mock(AioOperations.class);
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Queue<InvocationOnMock> timers = new ArrayDeque<>();
    /** Per socket: what the client wrote, and the read pending on it (null when none). */
    private final Map<Integer, ByteArrayOutputStream> written = new HashMap<>();
    private final Map<Integer, InvocationOnMock> reads = new HashMap<>();
    private final Map<Integer, Integer> readCompletionIndex = new HashMap<>();
    private int sockets;
    private int refusedConnects;
    private final List<RespValue.Push> pushes = new ArrayList<>();
    private final AtomicInteger reconnectTasks = new AtomicInteger();
    private ReconnectingRedisClient client;

    @SuppressWarnings("unchecked")
    private static void complete(InvocationOnMock call, int completionIndex, int result) {
        ((AioCompletion<Object>) call.getArgument(completionIndex)).completed(result,
                call.getArgument(completionIndex - 1));
    }

    @BeforeEach
    void connect() {
        when(ops.inLoop()).thenReturn(true);
        doAnswer(call -> tasks.add(call.getArgument(0))).when(ops).execute(any());
        when(ops.connect(eq(ADDRESS), anyLong(), any(), any())).thenAnswer(call -> {
            if (refusedConnects > 0) {
                refusedConnects--;
                complete(call, 3, -AioErrno.ECONNREFUSED);
            } else {
                int socket = ++sockets;
                written.put(socket, new ByteArrayOutputStream());
                complete(call, 3, socket);
            }
            return 1L;
        });
        when(ops.read(anyInt(), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> pendRead(call, 4));
        when(ops.read(anyInt(), any(), eq(AioOperations.STREAM), anyLong(), any(), any()))
                .thenAnswer(call -> pendRead(call, 5));
        doAnswer(call -> {
            long token = call.getArgument(0);
            if (token > 1000 && reads.get((int) (token - 1000)) != null) {
                serverReadResult((int) (token - 1000), -AioErrno.ECANCELED);
            }
            return null;
        }).when(ops).cancel(anyLong());
        when(ops.write(anyInt(), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> {
            MemorySegment buffer = call.getArgument(1);
            written.get((int) call.getArgument(0)).writeBytes(buffer.toArray(ValueLayout.JAVA_BYTE));
            complete(call, 4, (int) buffer.byteSize());
            return 3L;
        });
        when(ops.close(anyInt(), any(), any())).thenAnswer(call -> {
            int socket = call.getArgument(0);
            if (reads.get(socket) != null) {
                serverReadResult(socket, -AioErrno.ECANCELED);
            }
            complete(call, 2, 0);
            return 4L;
        });
        when(ops.timeout(anyLong(), any(), any())).thenAnswer(call -> {
            timers.add(call);
            return 5L;
        });
        client = ReconnectingRedisClient.connect(ops, RedisUri.of(ADDRESS), RedisClientConfig.DEFAULTS, POLICY)
                .join();
        client.pubSub().onPush(pushes::add);
        client.onReconnect(reconnectTasks::incrementAndGet);
    }

    private long pendRead(InvocationOnMock call, int completionIndex) {
        int socket = call.getArgument(0);
        assertThat(reads.get(socket)).as("one read at a time").isNull();
        reads.put(socket, call);
        readCompletionIndex.put(socket, completionIndex);
        return 1000L + socket;
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** Fires the reconnect timers set so far, and runs what follows from them. */
    private void fireTimers() {
        runTasks();
        List<InvocationOnMock> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(timer -> complete(timer, 2, 0));
        runTasks();
    }

    private void serverSends(int socket, String text) {
        InvocationOnMock read = reads.remove(socket);
        assertThat(read).as("a read is pending on socket " + socket).isNotNull();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, (MemorySegment) read.getArgument(1), ValueLayout.JAVA_BYTE, 0, bytes.length);
        complete(read, readCompletionIndex.get(socket), bytes.length);
        runTasks();
    }

    private void serverReadResult(int socket, int result) {
        complete(reads.remove(socket), readCompletionIndex.get(socket), result);
    }

    private String writtenOn(int socket) {
        return written.get(socket).toString(StandardCharsets.UTF_8);
    }

    private static String confirmation(String kind, String channel, int count) {
        return "*3\r\n$" + kind.length() + "\r\n" + kind + "\r\n$" + channel.length() + "\r\n" + channel + "\r\n:"
                + count + "\r\n";
    }

    private static String command(String... args) {
        return new String(RespEncoder.command(args), StandardCharsets.UTF_8);
    }

    /** The server drops the connection; the client notices and waits for its reconnect timer. */
    private void serverDropsConnection(int socket) {
        serverReadResult(socket, 0);
        runTasks();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void channels_patterns_and_shard_channels_redis_confirmed_are_renewed_on_the_next_connection() {
        CompletableFuture<Void> channels = client.pubSub().subscribe("news", "gone");
        CompletableFuture<Void> patterns = client.pubSub().psubscribe("sport.*");
        CompletableFuture<Void> shards = client.pubSub().ssubscribe("{shard}.a");
        runTasks();
        serverSends(1, confirmation("subscribe", "news", 1) + confirmation("subscribe", "gone", 2)
                + confirmation("psubscribe", "sport.*", 3) + confirmation("ssubscribe", "{shard}.a", 1));
        assertThat(List.of(channels, patterns, shards)).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        CompletableFuture<Void> unsubscribed = client.pubSub().unsubscribe("gone");
        runTasks();
        serverSends(1, confirmation("unsubscribe", "gone", 3));
        assertThat(unsubscribed).isCompleted();

        serverDropsConnection(1);
        CompletableFuture<RespValue> issuedWhileDown = client.command("PING");
        refusedConnects = 1;
        fireTimers(); // refused: the renewal waits for a connection that succeeds
        assertThat(sockets).isEqualTo(1);
        fireTimers();

        assertThat(sockets).isEqualTo(2);
        assertThat(writtenOn(2)).as("the subscriptions first, then what waited, and nothing unsubscribed")
                .isEqualTo(command("SUBSCRIBE", "news") + command("PSUBSCRIBE", "sport.*")
                        + command("SSUBSCRIBE", "{shard}.a") + command("PING"));
        assertThat(reconnectTasks).hasValue(1);
        serverSends(2, confirmation("subscribe", "news", 1) + confirmation("psubscribe", "sport.*", 2)
                + confirmation("ssubscribe", "{shard}.a", 1) + "*2\r\n$4\r\npong\r\n$0\r\n\r\n"
                + "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
        assertThat(issuedWhileDown.join().toString()).as("PING on a subscribed RESP2 connection").contains("pong");
        assertThat(pushes).as("the same listener, on the new connection").singleElement()
                .satisfies(push -> assertThat(push.elements().get(2).asString()).isEqualTo("hello"));
    }

    @Test
    void a_renewal_that_was_not_yet_confirmed_is_renewed_again_after_another_loss() {
        CompletableFuture<Void> subscribed = client.pubSub().subscribe("news");
        runTasks();
        serverSends(1, confirmation("subscribe", "news", 1));
        assertThat(subscribed).isCompleted();
        serverDropsConnection(1);
        fireTimers();
        assertThat(writtenOn(2)).isEqualTo(command("SUBSCRIBE", "news"));

        serverDropsConnection(2); // before Redis confirmed the renewal
        fireTimers();

        assertThat(writtenOn(3)).isEqualTo(command("SUBSCRIBE", "news"));
        assertThat(reconnectTasks).hasValue(2);
    }

    @Test
    void a_subscribe_issued_while_disconnected_waits_for_the_next_connection() {
        serverDropsConnection(1);
        CompletableFuture<Void> subscribed = client.pubSub().psubscribe("later.*");
        runTasks();
        assertThat(subscribed).isNotDone();

        fireTimers();

        assertThat(writtenOn(2)).isEqualTo(command("PSUBSCRIBE", "later.*"));
        serverSends(2, confirmation("psubscribe", "later.*", 1));
        assertThat(subscribed).isCompleted();
        serverDropsConnection(2);
        fireTimers();
        assertThat(writtenOn(3)).as("confirmed on the second connection, renewed on the third")
                .isEqualTo(command("PSUBSCRIBE", "later.*"));
    }

    @Test
    void a_subscribe_that_failed_with_its_connection_is_not_renewed() {
        CompletableFuture<Void> subscribed = client.pubSub().subscribe("lost");
        runTasks();
        serverDropsConnection(1);
        assertThat(subscribed).isCompletedExceptionally();

        fireTimers();

        assertThat(client.isConnected()).isTrue();
        assertThat(writtenOn(2)).isEmpty();
        assertThat(reconnectTasks).hasValue(1);
    }

    @Test
    void a_renewal_redis_refuses_leaves_the_connection_up_and_is_not_renewed_again() {
        CompletableFuture<Void> subscribed = client.pubSub().subscribe("news", "secret");
        runTasks();
        serverSends(1, confirmation("subscribe", "news", 1) + confirmation("subscribe", "secret", 2));
        assertThat(subscribed).isCompleted();
        serverDropsConnection(1);
        fireTimers();
        assertThat(writtenOn(2)).isEqualTo(command("SUBSCRIBE", "news", "secret"));

        // The ACL user lost the channel while the client was away: Redis refuses the whole command.
        serverSends(2, "-NOPERM this user has no permissions to access one of the channels\r\n");

        assertThat(client.isConnected()).isTrue();
        serverDropsConnection(2);
        fireTimers();
        assertThat(writtenOn(3)).isEmpty();
    }
}
