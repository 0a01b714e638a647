/**
 * The implementation of the epoll adapter; not exported.
 *
 * <p><b>Shape.</b> {@link dev.aioops.epoll.internal.EpollAioOperations} is the public face (any thread: argument
 * checks, an {@code Op} per submission). {@code EpollLoop} is the loop (selector, {@code Inbox} of work from other
 * threads, tasks, the wait bounded by {@code TimeoutDriver}, {@code LoopThread}, driving close). {@code OpRouter}
 * starts each kind of operation with one method of one driver: {@code SocketDriver}, {@code FileDriver} (with
 * {@code FileIo} on its pool threads), {@code EventfdDriver}, {@code TimeoutDriver}, or {@code HandleCloser} for
 * {@code close}. A driver that keeps an operation pending names itself its {@code OpCanceller}, which is where a
 * cancel, and the cancel-all of instance close, goes.
 *
 * <p><b>Adding an operation</b>: a kind in {@code Op} (and fields if it needs them), the SPI method in
 * {@code EpollAioOperations}, a method of the driver that performs it, and one line in {@code OpRouter}. Cancel
 * and close need nothing more if the driver sets {@code Op.canceller} while the operation waits.
 */
package dev.aioops.epoll.internal;
