package dev.aioops.vertx.internal;

/**
 * The arguments of a rename; the directory of {@code from} is the operation's handle.
 *
 * @param from        the current name
 * @param toDirectory the directory handle of {@code to}, or the working directory's number
 * @param to          the new name
 */
public record RenameRequest(String from, int toDirectory, String to) {
}
