/**
 * The aioops conformance suite: abstract JUnit 5 contract tests that an adapter runs by subclassing each with
 * its provider, the way Netty's testsuite runs against every transport.
 */
module dev.aioops.tck {
    requires transitive dev.aioops.spi;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires java.logging;
    requires jdk.jfr;

    exports dev.aioops.tck;
}
