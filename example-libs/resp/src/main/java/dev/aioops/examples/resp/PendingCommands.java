package dev.aioops.examples.resp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The commands of a connection that await their reply, in the order sent (Redis answers in that order), with their
 * deadlines. The earliest deadline is found in O(1) while every command has the default timeout (their deadlines
 * then come in the order sent) and by a search while some have their own. Loop thread only.
 */
final class PendingCommands {

    /**
     * A command awaiting its reply, when it stops waiting, whether that is its own timeout, and its place in the
     * order of everything the connection sent (commands and (un)subscribe requests).
     */
    record Command(CompletableFuture<RespValue> reply, long deadline, long timeoutNanos, boolean custom,
                   long sequence) {
    }

    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private int custom;

    void add(Command command) {
        commands.add(command);
        if (command.custom()) {
            custom++;
        }
    }

    /** The oldest command, removed; or null. */
    Command poll() {
        Command command = commands.poll();
        if (command != null && command.custom()) {
            custom--;
        }
        return command;
    }

    /** The oldest command's place in the order sent, or {@link Long#MAX_VALUE} when none waits. */
    long oldestSequence() {
        Command oldest = commands.peek();
        return oldest == null ? Long.MAX_VALUE : oldest.sequence();
    }

    /** The command whose deadline comes first, or null when none waits. */
    Command earliest() {
        Command earliest = commands.peek();
        if (custom > 0) {
            for (Command command : commands) {
                if (command.deadline() - earliest.deadline() < 0) {
                    earliest = command;
                }
            }
        }
        return earliest;
    }

    /** Fails every command with {@code cause} and forgets them. */
    void failAll(IOException cause) {
        Command command;
        while ((command = poll()) != null) {
            command.reply().completeExceptionally(cause);
        }
    }
}
