/**
 * The io_uring implementation, not exported: the ring ({@link dev.aioops.uring.internal.Ring}) and its system
 * calls ({@link dev.aioops.uring.internal.UringSyscalls}), the loop, the operation table and the handle table behind
 * {@link dev.aioops.uring.internal.UringAioOperations}. The kernel ABI and the SQE encoders it shares with hosts
 * that own a ring are in {@link dev.aioops.uring.ring}. Not an API.
 */
package dev.aioops.uring.internal;
