package dev.aioops.vertx.internal;

/**
 * The arguments of an fallocate.
 *
 * @param offset the first byte
 * @param length the range's size
 */
public record FallocateRequest(long offset, long length) {
}
