/**
 * The JFR events of aioops. Every open {@link dev.aioops.spi.AioOperations} of the io_uring, epoll and Vert.x
 * adapters emits {@link dev.aioops.spi.jfr.AioLoopEvent} ({@code dev.aioops.Loop}) periodically, and each
 * completion handler that runs longer than the event's threshold emits
 * {@link dev.aioops.spi.jfr.AioSlowCompletionEvent} ({@code dev.aioops.SlowCompletion}). Both are off in JFR's
 * default settings; enable them by name, for example
 * {@code -XX:StartFlightRecording:+dev.aioops.Loop#enabled=true,+dev.aioops.SlowCompletion#enabled=true} (the
 * {@code +} adds a setting that the {@code .jfc} file lacks; {@code +dev.aioops.SlowCompletion#threshold=5ms} sets the
 * threshold)
 * or {@code recording.enable("dev.aioops.SlowCompletion").withThreshold(Duration.ofMillis(5))}.
 *
 * <p>The module reads {@code jdk.jfr} only if it is present ({@code requires static}): without it, aioops runs and
 * emits nothing.
 */
package dev.aioops.spi.jfr;
