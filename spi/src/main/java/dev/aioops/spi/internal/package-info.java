/**
 * Implementation helpers shared by the adapters: argument checks, exception-to-errno mapping, the buffer
 * pool and the loop wake-up handshake. Exported to the adapter modules only; not an API.
 */
package dev.aioops.spi.internal;
