package dev.aioops.examples.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Formats response heads and error bodies. */
final class HttpResponses {

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(505, "HTTP Version Not Supported"), Map.entry(417, "Expectation Failed"),
            Map.entry(301, "Moved Permanently"),
            Map.entry(206, "Partial Content"), Map.entry(304, "Not Modified"),
            Map.entry(416, "Range Not Satisfiable"));

    /** The interim response that asks a client waiting on {@code Expect: 100-continue} for its body. */
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private HttpResponses() {
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, "Unknown");
    }

    /**
     * A response head.
     *
     * @param status        the status code
     * @param contentType   the body's type
     * @param contentLength the body's length (also for HEAD, which sends no body)
     * @param keepAlive     whether the connection stays open
     * @param http10        whether the request was HTTP/1.0 (then keep-alive is announced)
     * @param extraHeader   one more header line without its CRLF ({@code Allow: GET, HEAD},
     *                      {@code Location: /docs/}), or null
     * @return the head, ending in the empty line
     */
    static byte[] head(int status, String contentType, long contentLength, boolean keepAlive, boolean http10,
                       String extraHeader) {
        StringBuilder head = new StringBuilder(192)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Date: ").append(Dates.now())
                .append("\r\nServer: aioops-example-http\r\n");
        if (status != 304) {
            // A 304 describes the client's copy; it has no content of its own (RFC 9110 15.4.5).
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(contentLength).append("\r\n");
        }
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The plain-text body of an error response. */
    static byte[] errorBody(int status, String reason) {
        return (status + " " + reason(status) + "\n" + reason + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
