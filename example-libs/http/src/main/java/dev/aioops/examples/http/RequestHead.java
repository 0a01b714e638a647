package dev.aioops.examples.http;

import java.util.Map;

/**
 * A parsed request line and header section.
 *
 * @param method        the method, case-sensitive ({@code GET})
 * @param target        the request target as sent ({@code /a%20b?x})
 * @param minorVersion  0 for HTTP/1.0, 1 for HTTP/1.1
 * @param headers       field values by lower-case name; repeated fields joined with {@code ", "}
 * @param contentLength the declared body length, 0 without {@code Content-Length}
 * @param keepAlive     whether the connection stays open after the response
 * @param length        how many bytes of input the head took, including leading empty lines
 */
record RequestHead(String method, String target, int minorVersion, Map<String, String> headers,
                   long contentLength, boolean keepAlive, int length) {
}
