package dev.aioops.uring.internal;

/**
 * A cancel made on a thread other than the loop, or of a token given to such a thread, carried through the inbox
 * so that it reaches the loop after the submission it names.
 *
 * @param token the token to cancel
 */
record CancelRequest(long token) {
}
