/** The demo application: chooses an adapter at startup and runs a library on it. */
module dev.aioops.demo {
    requires dev.aioops.spi;
    requires dev.aioops.examples.checksum;
    requires dev.aioops.examples.http;
}
