package dev.aioops.examples.http;

/** What {@link RequestHeadParser} found at the start of the input. */
sealed interface ParseOutcome {

    /** Not enough bytes yet. */
    record Incomplete() implements ParseOutcome {
    }

    /**
     * A complete head.
     *
     * @param head the head
     */
    record Complete(RequestHead head) implements ParseOutcome {
    }

    /**
     * Bytes that are not an acceptable request; the connection is answered with {@code status} and closed.
     *
     * @param status the response status: 400, 414, 431, 501 or 505
     * @param reason why, for the response body
     */
    record Refused(int status, String reason) implements ParseOutcome {
    }

    /** The single {@link Incomplete}. */
    ParseOutcome INCOMPLETE = new Incomplete();
}
