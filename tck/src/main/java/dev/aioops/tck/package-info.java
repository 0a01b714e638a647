/**
 * The aioops conformance suite. An adapter proves itself by extending each contract class with one method,
 * {@link dev.aioops.tck.AioContract#provider()}, in its own tests:
 *
 * <ul>
 *   <li>{@link dev.aioops.tck.FileContract}: positional and stream I/O, end of file, open options, O_DIRECT,
 *       fsync;</li>
 *   <li>{@link dev.aioops.tck.SocketContract}: listen, accept, connect, 8 MiB echo, end of stream, resets,
 *       refusals;</li>
 *   <li>{@link dev.aioops.tck.EventfdContract}: counter semantics, signals from many threads;</li>
 *   <li>{@link dev.aioops.tck.TimeoutContract} and {@link dev.aioops.tck.CancelContract};</li>
 *   <li>{@link dev.aioops.tck.ExactlyOnceContract}: every completion once, under load and at every kind of
 *       close;</li>
 *   <li>{@link dev.aioops.tck.ThreadingContract}: the loop thread, submissions and tasks from many threads,
 *       early completions;</li>
 *   <li>{@link dev.aioops.tck.MisuseContract}: what throws and what completes with {@code -errno};</li>
 *   <li>{@link dev.aioops.tck.BufferPoolContract} and {@link dev.aioops.tck.HostDrivenContract}.</li>
 * </ul>
 *
 * Capabilities are asserted both ways: where an adapter lacks one, the test checks the documented fallback, so
 * nothing is skipped on an available adapter. {@link dev.aioops.tck.AioCompletionRecorder} and
 * {@link dev.aioops.tck.AioCompletionTally} record completions for adapter-specific tests too.
 */
package dev.aioops.tck;
