package dev.aioops.examples.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@code MULTI}/{@code EXEC} transaction ({@link RedisCommands#multi()}): add commands, then {@link #exec()}
 * sends {@code MULTI}, them and {@code EXEC} in one batch of the connection, so that nothing else it sends comes
 * between them. Not thread-safe: build it on one thread.
 */
public final class RedisTransaction {

    private final CommandChannel client;
    private final List<String[]> commands = new ArrayList<>();
    private boolean executed;

    RedisTransaction(CommandChannel client) {
        this.client = client;
    }

    /**
     * Adds a command.
     *
     * @param args the command name and its arguments
     * @return this transaction
     * @throws IllegalArgumentException if there is no argument
     * @throws IllegalStateException    if it was executed already
     */
    public RedisTransaction command(String... args) {
        if (executed) {
            throw new IllegalStateException("this transaction was executed; start another with multi()");
        }
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        commands.add(args.clone());
        return this;
    }

    /**
     * Executes the transaction.
     *
     * @return the replies of the commands, in order (each may be a {@link RespValue.Error} of its own); null when
     *         Redis aborted it because a {@code WATCH}ed key changed. Fails with a {@link RedisCommandException}
     *         when Redis refused to queue a command ({@code EXECABORT}), or as a command fails
     * @throws IllegalStateException if it was executed already or has no command
     */
    public CompletionStage<List<RespValue>> exec() {
        if (executed || commands.isEmpty()) {
            throw new IllegalStateException(executed ? "this transaction was executed already"
                    : "a transaction needs at least one command");
        }
        executed = true;
        List<byte[]> batch = new ArrayList<>(commands.size() + 2);
        batch.add(RespEncoder.command("MULTI"));
        for (String[] command : commands) {
            batch.add(RespEncoder.command(command));
        }
        batch.add(RespEncoder.command("EXEC"));
        List<CompletableFuture<RespValue>> replies = client.batch(batch);
        return RedisCommands.map(replies.getLast(), exec -> exec.isNull() ? null
                : ((RespValue.Array) exec).elements());
    }
}
