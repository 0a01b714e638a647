package dev.aioops.examples.resp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The pub/sub side of a connection: tells out-of-band messages from command replies, completes (un)subscribe
 * requests when Redis confirms every channel, and hands messages to the push listener.
 *
 * <p>In RESP3 everything out of band is a {@link RespValue.Push}. In RESP2 a subscribed connection receives
 * messages and confirmations as arrays whose first element names their kind; they are taken as pushes while the
 * connection has subscriptions or awaits a confirmation (a subscribed RESP2 connection may only send (un)subscribe,
 * {@code PING} and {@code QUIT}, whose replies are not such arrays).
 *
 * <p>It also keeps what the connection is subscribed to, as Redis confirmed it (each {@code subscribe} adds a
 * channel, each {@code unsubscribe}, asked for or not, removes it), so that {@link ReconnectingRedisClient} can
 * renew it on its next connection. Loop thread only.
 */
final class Subscriptions {

    private static final Set<String> KINDS = Set.of("message", "pmessage", "smessage", "subscribe", "psubscribe",
            "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe");

    /** A subscribe or unsubscribe awaiting Redis's confirmation of each of its channels. */
    private record Request(String kind, Set<String> channels, CompletableFuture<Void> done, long deadline,
                           long timeoutNanos) {
    }

    private final List<Request> requests = new ArrayList<>();
    private volatile Consumer<RespValue.Push> listener = push -> { };
    /** The subscriptions Redis last reported (the count in each confirmation). */
    private long active;
    /** What the connection is subscribed to: subscribe, psubscribe or ssubscribe, to its channels in order. */
    private final Map<String, Set<String>> subscribed = new LinkedHashMap<>();

    void listener(Consumer<RespValue.Push> listener) {
        this.listener = listener;
    }

    void await(String kind, List<String> channels, CompletableFuture<Void> done, long deadline, long timeoutNanos) {
        requests.add(new Request(kind, new HashSet<>(channels), done, deadline, timeoutNanos));
    }

    /**
     * Takes a value if it is out of band.
     *
     * @return {@code true} if it was a push (delivered or a confirmation), {@code false} for a command's reply
     */
    boolean offer(RespValue value) {
        RespValue.Push push;
        if (value instanceof RespValue.Push p) {
            push = p;
        } else if ((active > 0 || !requests.isEmpty()) && value instanceof RespValue.Array array
                && !array.elements().isEmpty() && array.elements().getFirst() instanceof RespValue.BulkString kind
                && KINDS.contains(kind.asString())) {
            push = new RespValue.Push(array.elements());
        } else {
            return false;
        }
        String kind = push.kind();
        if (kind.endsWith("subscribe") && push.elements().size() == 3) {
            confirmed(kind, push.elements().get(1), push.elements().get(2));
        } else {
            listener.accept(push);
        }
        return true;
    }

    private void confirmed(String kind, RespValue channel, RespValue count) {
        active = count instanceof RespValue.Integer n ? n.value() : active;
        String name = channel.asString();
        track(kind, name);
        for (Iterator<Request> it = requests.iterator(); it.hasNext(); ) {
            Request request = it.next();
            if (request.kind().equals(kind) && request.channels().remove(name)) {
                if (request.channels().isEmpty()) {
                    it.remove();
                    request.done().complete(null);
                }
                return;
            }
        }
    }

    /** Adds a confirmed subscription to {@link #subscribed}, or removes an unsubscribed one. */
    private void track(String kind, String name) {
        if (name == null) {
            return;
        }
        switch (kind) {
            case "unsubscribe", "punsubscribe", "sunsubscribe" -> {
                Set<String> channels = subscribed.get(kind.replace("un", "")); // punsubscribe: psubscribe
                if (channels != null) {
                    channels.remove(name);
                }
            }
            default -> subscribed.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(name);
        }
    }

    /**
     * What this connection is subscribed to, for a new connection to renew.
     *
     * @return {@code subscribe}, {@code psubscribe} and {@code ssubscribe} to their channels (a copy), the kinds
     *         without channels left out
     */
    Map<String, List<String>> subscribed() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        subscribed.forEach((kind, channels) -> {
            if (!channels.isEmpty()) {
                copy.put(kind, List.copyOf(channels));
            }
        });
        return copy;
    }

    /**
     * Counts channels as subscribed before Redis confirms them: those a new connection renews, so that they are
     * renewed again should this connection fail before the confirmations arrive.
     */
    void renewing(String kind, List<String> channels) {
        subscribed.computeIfAbsent(kind, k -> new LinkedHashSet<>()).addAll(channels);
    }

    /** The earliest deadline of a request awaiting confirmation, or 0. */
    long earliestDeadline() {
        long earliest = 0;
        for (Request request : requests) {
            if (earliest == 0 || request.deadline() - earliest < 0) {
                earliest = request.deadline();
            }
        }
        return earliest;
    }

    /** The timeout of the request whose deadline comes first, for the message of a timeout; 0 if none. */
    long earliestTimeoutNanos() {
        long deadline = earliestDeadline();
        for (Request request : requests) {
            if (request.deadline() == deadline) {
                return request.timeoutNanos();
            }
        }
        return 0;
    }

    void failAll(IOException cause) {
        for (Request request : requests) {
            request.done().completeExceptionally(cause);
        }
        requests.clear();
    }
}
