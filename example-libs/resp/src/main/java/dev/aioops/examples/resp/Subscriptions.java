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

    /**
     * A subscribe or unsubscribe awaiting Redis's confirmation of each of its channels, with its place in the order
     * sent; {@code started} once the first confirmation came (Redis can no longer refuse it as a whole).
     */
    private static final class Request {
        final String kind;
        final Set<String> channels;
        final CompletableFuture<Void> done;
        final long deadline;
        final long timeoutNanos;
        final long sequence;
        final boolean renewal;
        boolean started;

        Request(String kind, Set<String> channels, CompletableFuture<Void> done, long deadline, long timeoutNanos,
                long sequence, boolean renewal) {
            this.kind = kind;
            this.channels = channels;
            this.done = done;
            this.deadline = deadline;
            this.timeoutNanos = timeoutNanos;
            this.sequence = sequence;
            this.renewal = renewal;
        }
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

    /**
     * Awaits the confirmations of a request just sent.
     *
     * @param sequence its place in the order of everything the connection sent
     * @param renewal  whether it renews a lost connection's subscriptions (see {@link #renewing})
     */
    void await(String kind, List<String> channels, CompletableFuture<Void> done, long deadline, long timeoutNanos,
               long sequence, boolean renewal) {
        requests.add(new Request(kind, new HashSet<>(channels), done, deadline, timeoutNanos, sequence, renewal));
    }

    /**
     * Takes a reply that answers a request rather than a command. Redis refuses a whole (un)subscribe with one
     * error reply, in its place among the replies: an unknown command ({@code SSUBSCRIBE} before Redis 7), a
     * channel the ACL user may not use ({@code NOPERM}), a wrong number of arguments. The request then fails with a
     * {@link RedisCommandException} and the connection carries on; the channels of a refused renewal are no longer
     * counted as subscribed.
     *
     * @param oldestCommand the place of the oldest command awaiting its reply, {@link Long#MAX_VALUE} if none
     * @return {@code true} if the reply was a request's refusal
     * @throws RespProtocolException if the reply is due to a request but is neither a confirmation nor an error
     */
    boolean refused(RespValue value, long oldestCommand) throws RespProtocolException {
        Request oldest = null;
        for (Request request : requests) {
            if (!request.started && request.sequence < oldestCommand
                    && (oldest == null || request.sequence < oldest.sequence)) {
                oldest = request;
            }
        }
        if (oldest == null) {
            return false;
        }
        if (!(value instanceof RespValue.Error error)) {
            throw new RespProtocolException("redis answered " + oldest.kind.toUpperCase(java.util.Locale.ROOT)
                    + " with " + value);
        }
        requests.remove(oldest);
        if (oldest.renewal && subscribed.containsKey(oldest.kind)) {
            subscribed.get(oldest.kind).removeAll(oldest.channels);
        }
        oldest.done.completeExceptionally(new RedisCommandException(error));
        return true;
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
            if (request.kind.equals(kind) && request.channels.remove(name)) {
                request.started = true;
                if (request.channels.isEmpty()) {
                    it.remove();
                    request.done.complete(null);
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
            if (earliest == 0 || request.deadline - earliest < 0) {
                earliest = request.deadline;
            }
        }
        return earliest;
    }

    /** The timeout of the request whose deadline comes first, for the message of a timeout; 0 if none. */
    long earliestTimeoutNanos() {
        long deadline = earliestDeadline();
        for (Request request : requests) {
            if (request.deadline == deadline) {
                return request.timeoutNanos;
            }
        }
        return 0;
    }

    void failAll(IOException cause) {
        for (Request request : requests) {
            request.done.completeExceptionally(cause);
        }
        requests.clear();
    }
}
