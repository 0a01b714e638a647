package dev.aioops.examples.http;

/**
 * What {@link StaticFileServer} accepts from a client before it answers with an error and closes the
 * connection.
 *
 * @param maxRequestLineLength the longest request line, in bytes, without its CRLF; longer: {@code 414}
 * @param maxHeaderBytes       the largest header section after the request line, in bytes; larger:
 *                             {@code 431}
 * @param maxHeaderCount       the most header fields; more: {@code 431}
 * @param maxBodyBytes         the largest request body (declared by {@code Content-Length}) that is read and
 *                             discarded; larger: {@code 413}
 */
public record HttpLimits(int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes) {

    /** 8 KiB request lines, 16 KiB and 100 header fields, 64 KiB bodies. */
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 100, 65536);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public HttpLimits {
        if (maxRequestLineLength < 16 || maxHeaderBytes < 16 || maxHeaderCount < 1 || maxBodyBytes < 0
                || (long) maxRequestLineLength + maxHeaderBytes > 1 << 20) {
            throw new IllegalArgumentException("limits out of range: request line " + maxRequestLineLength
                    + " (>= 16), headers " + maxHeaderBytes + " bytes (>= 16, together at most 1 MiB), "
                    + maxHeaderCount + " fields (>= 1), body " + maxBodyBytes + " (>= 0)");
        }
    }
}
