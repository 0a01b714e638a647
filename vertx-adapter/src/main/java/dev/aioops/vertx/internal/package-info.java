/**
 * The Vert.x adapter's implementation: the engine that runs one {@code AioOperations} on a Vert.x event-loop
 * context, its handle table and the per-kind handles (files, sockets, listeners, eventfds). Not exported.
 */
package dev.aioops.vertx.internal;
