package dev.aioops.spi;

/**
 * Which direction of a connected socket {@link AioSocketOperations#shutdown} closes, as {@code shutdown(2)}'s
 * {@code how}. The handle stays open (close it as usual); only the connection is half- or fully closed.
 */
public enum AioShutdown {

    /** {@code SHUT_RD}: no more reads; a pending or later read completes with 0 (end of stream). */
    READ,

    /** {@code SHUT_WR}: sends a FIN after the queued data; the peer reads end of stream, and may still write. */
    WRITE,

    /** {@code SHUT_RDWR}: both directions. */
    BOTH
}
