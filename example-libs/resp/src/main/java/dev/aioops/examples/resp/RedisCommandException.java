package dev.aioops.examples.resp;

/**
 * Redis refused a command of the typed API ({@link RedisCommands}): the reply was an error such as
 * {@code WRONGTYPE} or {@code ERR value is not an integer}. The connection is unaffected; the generic
 * {@link RedisClient#command} returns such a reply as a {@link RespValue.Error} value instead.
 */
public final class RedisCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error reply. */
    private final transient RespValue.Error error;

    /**
     * Creates the exception.
     *
     * @param error the error reply
     */
    public RedisCommandException(RespValue.Error error) {
        super(error.message());
        this.error = error;
    }

    /**
     * The error's code, such as {@code WRONGTYPE} or {@code ERR}.
     *
     * @return the first word of the message
     */
    public String code() {
        return error.code();
    }
}
