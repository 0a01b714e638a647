package dev.aioops.examples.resp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where the typed API sends its commands: one connection, or a connection that reconnects. Any thread. */
interface CommandChannel {

    /** Sends one command; its reply as {@link RedisClient#command(String...)} gives it. */
    CompletableFuture<RespValue> command(String... args);

    /** Sends encoded commands in one batch, so that nothing is sent between them; one future per command. */
    List<CompletableFuture<RespValue>> batch(List<byte[]> encoded);
}
