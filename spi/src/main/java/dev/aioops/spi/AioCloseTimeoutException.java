package dev.aioops.spi;

import java.io.Serial;
import java.time.Duration;

/**
 * Reported to {@link AioConfig#errorHandler()} when {@link AioOperations#close()} gave up waiting, after
 * {@link AioConfig#closeTimeout()}, for operations that the kernel (or, on adapters built on Java channels, a file
 * thread blocked in a system call) still holds: a read stuck on a hung network file system or FUSE daemon, say.
 *
 * <p>Such operations are <b>not</b> completed by the close, because completing them would hand their buffers back
 * to the caller while the kernel may still write into them. They stay pending: the adapter keeps their buffers,
 * and whatever the kernel needs to finish them, alive, and each completes exactly once (with its real result or
 * {@code -ECANCELED}) when the kernel gives it back, on the thread the adapter's documentation names. Only then
 * does the adapter free that memory. The caller keeps the arenas of those buffers open until their completions
 * have run, as for any operation in flight.
 */
public final class AioCloseTimeoutException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int stuck;

    /**
     * Creates the report.
     *
     * @param adapter the adapter's name
     * @param stuck   how many operations were still held when close returned
     * @param waited  how long close waited for them
     * @param detail  what the operations were (kinds, handles), or null
     */
    public AioCloseTimeoutException(String adapter, int stuck, Duration waited, String detail) {
        super(stuck + " operation(s) of a closing " + adapter + " AioOperations were still held by the kernel after "
                + "closeTimeout " + waited + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
                + "; they stay pending and complete once the kernel gives them back, and their buffers stay "
                + "owned by the adapter until then");
        this.stuck = stuck;
    }

    /**
     * How many operations were still held by the kernel when {@code close()} returned.
     *
     * @return a count of at least 1
     */
    public int stuck() {
        return stuck;
    }
}
