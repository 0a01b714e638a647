/**
 * Sums the bytes of a file or a TCP stream through {@link dev.aioops.spi.AioOperations}: the smallest library
 * that shows file reads with several operations in flight.
 */
module dev.aioops.examples.checksum {
    requires transitive dev.aioops.spi;

    exports dev.aioops.examples.checksum;
}
