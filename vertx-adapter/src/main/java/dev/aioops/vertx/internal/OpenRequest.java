package dev.aioops.vertx.internal;

import dev.aioops.spi.AioOpenOption;

import java.nio.file.Path;
import java.util.Set;

/**
 * The arguments of an open.
 *
 * @param path    the file
 * @param options how to open it
 */
public record OpenRequest(Path path, Set<AioOpenOption> options) {
}
