/**
 * The io_uring implementation: the kernel ABI ({@link dev.aioops.uring.internal.UringLayout}), the libc downcalls
 * ({@link dev.aioops.uring.internal.LibC}), the ring ({@link dev.aioops.uring.internal.Ring}), the SQE encoding of
 * each operation ({@link dev.aioops.uring.internal.SqeEncoder}) and the loop
 * ({@link dev.aioops.uring.internal.UringAioOperations}). Not an API.
 */
package dev.aioops.uring.internal;
