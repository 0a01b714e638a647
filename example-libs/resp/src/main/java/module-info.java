/**
 * A Redis client (RESP2) whose network I/O is performed by {@link dev.aioops.spi.AioOperations}: pipelining,
 * errors as values, bounded parsing of untrusted replies.
 */
module dev.aioops.examples.resp {
    requires transitive dev.aioops.spi;

    exports dev.aioops.examples.resp;
}
