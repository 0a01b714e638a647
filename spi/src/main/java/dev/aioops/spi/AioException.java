package dev.aioops.spi;

import java.io.IOException;
import java.io.Serial;

/**
 * An {@link IOException} carrying the Linux errno of a failed operation; made by
 * {@link AioErrno#exception(int, String)} for callers that prefer exceptions to result codes.
 */
public final class AioException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates the exception for one errno value.
     *
     * @param errno   the positive errno value, such as {@link AioErrno#ENOENT}
     * @param context what was being done, or null
     */
    public AioException(int errno, String context) {
        super(message(errno, context));
        this.errno = errno;
    }

    private static String message(int errno, String context) {
        String reason = AioErrno.description(errno) + " (" + AioErrno.name(errno) + ")";
        return context == null || context.isEmpty() ? reason : context + ": " + reason;
    }

    /**
     * The errno value.
     *
     * @return the positive errno, such as {@link AioErrno#ENOENT}
     */
    public int errno() {
        return errno;
    }
}
