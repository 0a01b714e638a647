/**
 * An HTTP/1.1 static file server whose file and network I/O both go through
 * {@link dev.aioops.spi.AioOperations}.
 */
module dev.aioops.examples.http {
    requires transitive dev.aioops.spi;

    exports dev.aioops.examples.http;
}
