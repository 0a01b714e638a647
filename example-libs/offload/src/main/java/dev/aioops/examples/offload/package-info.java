/**
 * {@link dev.aioops.examples.offload.DigestOffload} computes SHA-256 digests on worker threads and hands the
 * results to the application's loop through an eventfd.
 */
package dev.aioops.examples.offload;
