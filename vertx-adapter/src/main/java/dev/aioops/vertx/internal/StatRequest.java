package dev.aioops.vertx.internal;

import dev.aioops.spi.AioStat;

/**
 * The arguments of a stat by path.
 *
 * @param path        the path, as handed to the kernel
 * @param followLinks whether a final symbolic link is followed
 * @param into        the holder the kernel fills
 */
public record StatRequest(String path, boolean followLinks, AioStat into) {
}
