package dev.aioops.examples.resp;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Makes a {@link RedisClient}'s connection: the connect with its deadline, then the introduction the
 * {@link RedisUri} asks for ({@code AUTH}, {@code SELECT}, {@code CLIENT SETNAME}), pipelined, each with the
 * command timeout. The client is handed out only once Redis has accepted all of them.
 */
final class RedisConnector {

    private RedisConnector() {
    }

    static CompletableFuture<RedisClient> connect(AioOperations ops, RedisUri uri, RedisClientConfig config) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(config, "config");
        CompletableFuture<RedisClient> connected = new CompletableFuture<>();
        SocketAddress address = uri.address();
        ops.connect(address, config.connectTimeout().toNanos(), null, (handle, ignored) -> {
            if (handle == -AioErrno.ETIMEDOUT) {
                connected.completeExceptionally(new RedisTimeoutException("connecting to redis at " + address
                        + " took longer than " + config.connectTimeout()));
                return;
            }
            if (handle < 0) {
                connected.completeExceptionally(AioErrno.exception(handle, "connect to redis at " + address));
                return;
            }
            RedisClient client = new RedisClient(ops, handle, address, config);
            client.start();
            introduce(client, uri, config.protocol(), connected);
        });
        return connected;
    }

    /** Sends the URI's commands and completes {@code connected} when every reply is not an error. */
    private static void introduce(RedisClient client, RedisUri uri, int protocol,
                                  CompletableFuture<RedisClient> connected) {
        List<String[]> commands = new ArrayList<>(3);
        if (protocol == 3) {
            // HELLO switches to RESP3 and can authenticate and name the connection in the same round trip.
            List<String> hello = new ArrayList<>(List.of("HELLO", "3"));
            if (uri.password() != null) {
                hello.addAll(List.of("AUTH", uri.user() == null ? "default" : uri.user(), uri.password()));
            }
            if (uri.clientName() != null) {
                hello.addAll(List.of("SETNAME", uri.clientName()));
            }
            commands.add(hello.toArray(String[]::new));
        } else if (uri.password() != null) {
            commands.add(uri.user() == null ? new String[] {"AUTH", uri.password()}
                    : new String[] {"AUTH", uri.user(), uri.password()});
        }
        if (uri.database() != 0) {
            commands.add(new String[] {"SELECT", Integer.toString(uri.database())});
        }
        if (uri.clientName() != null && protocol == 2) {
            commands.add(new String[] {"CLIENT", "SETNAME", uri.clientName()});
        }
        if (commands.isEmpty()) {
            connected.complete(client);
            return;
        }
        List<CompletableFuture<RespValue>> replies = new ArrayList<>(commands.size());
        for (String[] command : commands) {
            replies.add(client.command(command));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            if (failure != null) {
                connected.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause() : failure);
                client.close();
                return;
            }
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i).join() instanceof RespValue.Error error) {
                    // The password is never repeated in the message.
                    connected.completeExceptionally(new IOException("redis at " + uri.address() + " refused "
                            + commands.get(i)[0] + (commands.get(i)[0].equals("CLIENT") ? " SETNAME" : "") + ": "
                            + error.message()));
                    client.close();
                    return;
                }
            }
            connected.complete(client);
        });
    }
}
