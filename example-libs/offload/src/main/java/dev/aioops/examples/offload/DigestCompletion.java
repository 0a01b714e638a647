package dev.aioops.examples.offload;

/**
 * Receives the digest of one buffer submitted to {@link DigestOffload}, on the loop thread.
 *
 * @param <A> the type of the attachment handed back unchanged
 */
@FunctionalInterface
public interface DigestCompletion<A> {

    /**
     * Called once, on the loop, from {@link DigestOffload#onEventFdFired()}.
     *
     * @param sha256     the 32-byte SHA-256 digest, or {@code null} if the buffer could not be read (its arena was
     *                   closed, or is confined to another thread)
     * @param attachment the object passed on submission, possibly {@code null}
     */
    void digested(byte[] sha256, A attachment);
}
