package dev.aioops.vertx.internal;

/**
 * The arguments of an unlink.
 *
 * @param path           the name, as handed to the kernel
 * @param directoryEntry whether it names a directory ({@code AT_REMOVEDIR})
 */
public record UnlinkRequest(String path, boolean directoryEntry) {
}
