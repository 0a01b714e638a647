package dev.aioops.vertx.internal;

/**
 * The arguments of a mkdir.
 *
 * @param path the new directory, as handed to the kernel
 * @param mode its permission bits before the umask
 */
public record MkdirRequest(String path, int mode) {
}
