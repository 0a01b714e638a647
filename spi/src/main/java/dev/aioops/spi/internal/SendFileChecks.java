package dev.aioops.spi.internal;

/**
 * The argument checks of {@link dev.aioops.spi.AioSocketOperations#sendFile} that every adapter makes before it
 * accepts the send, and the limit every adapter applies to one send, so that misuse throws the same message and a
 * long send is cut at the same length whatever the adapter.
 */
public final class SendFileChecks {

    /** The most one send moves, as Linux caps one {@code sendfile(2)} ({@code MAX_RW_COUNT}): an {@code int} result. */
    public static final long MAX_SEND = 0x7fff_f000L;

    private SendFileChecks() {
    }

    /**
     * Checks the range of a send.
     *
     * @param offset the file position of the first byte
     * @param length how many bytes
     * @throws IllegalArgumentException if either is negative
     */
    public static void range(long offset, long length) {
        if (offset < 0) {
            throw new IllegalArgumentException("sendFile needs a file position >= 0, not " + offset
                    + " (a send never uses the file's current position)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("sendFile needs a length >= 0, not " + length);
        }
    }

    /**
     * What one send moves at most of a requested length.
     *
     * @param length the requested length, {@code >= 0}
     * @return {@code min(length, MAX_SEND)}
     */
    public static int capped(long length) {
        return (int) Math.min(length, MAX_SEND);
    }
}
