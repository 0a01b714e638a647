/**
 * Blocking-style calls for virtual threads on any aioops adapter: {@link dev.aioops.vthreads.AioBlocking} submits
 * an operation and parks the calling thread until its completion; {@link dev.aioops.vthreads.AioIoExceptions}
 * turns {@code -errno} results into the JDK's exceptions.
 */
package dev.aioops.vthreads;
