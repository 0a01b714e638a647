/**
 * The narrow API for hosts that own an io_uring of their own and submit aioops operations to it (the Vert.x
 * adapter's shared-ring mode, on Netty's ring): the kernel ABI ({@link dev.aioops.uring.ring.UringLayout}), one
 * encoder per operation ({@link dev.aioops.uring.ring.SqeEncoder}, after liburing's {@code io_uring_prep_*}),
 * {@code sockaddr} translation ({@link dev.aioops.uring.ring.Sockaddrs}), which opcodes the kernel has
 * ({@link dev.aioops.uring.ring.RingOpcodes}), the few C library calls such a host needs beside its SQEs
 * ({@link dev.aioops.uring.ring.LibC}, {@link dev.aioops.uring.ring.Sockets},
 * {@link dev.aioops.uring.ring.DatagramSockets}), the datagram {@code msghdr}s
 * ({@link dev.aioops.uring.ring.Msghdrs}), the socket options ({@link dev.aioops.uring.ring.SocketOptions}), and
 * the table that gives each descriptor a handle with a generation ({@link dev.aioops.uring.ring.DescriptorTable}).
 * Everything but that table and the zero-copy send is stateless and safe on any thread; the caller owns the memory
 * it passes. The zero-copy send's steps ({@link dev.aioops.uring.ring.SpliceSend}) and the pipes they run through
 * ({@link dev.aioops.uring.ring.SplicePipes}) are state of the loop that drives them, kept here so that both rings
 * take the same steps; they hold no ring either. The {@code open(2)} flags come from
 * {@code dev.aioops.linux.internal.OpenFlags}, shared with the adapters whose file threads make the system calls
 * themselves.
 *
 * <p>Exported only to {@code dev.aioops.vertx}. It holds no ring, no loop and no operation table: those stay in
 * {@code dev.aioops.uring.internal}, which no other module sees. Not a public API: it changes with the adapter.
 */
package dev.aioops.uring.ring;
