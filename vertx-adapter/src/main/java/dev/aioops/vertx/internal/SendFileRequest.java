package dev.aioops.vertx.internal;

/**
 * The arguments of a send of a file to a socket, beside the socket handle in {@code Op.handle}.
 *
 * @param fileHandle the file
 * @param offset     the file position of the first byte
 * @param length     how many bytes
 */
public record SendFileRequest(int fileHandle, long offset, long length) {
}
