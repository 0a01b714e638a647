package dev.aioops.examples.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses an HTTP/1.1 request head (RFC 9112 sections 2 to 6) from the start of a byte range, without copying
 * the range until the head is complete. Lines end in CRLF or a bare LF; empty lines before the request line
 * are skipped. Stateless and thread-safe.
 */
final class RequestHeadParser {

    private final HttpLimits limits;

    RequestHeadParser(HttpLimits limits) {
        this.limits = limits;
    }

    ParseOutcome parse(byte[] in, int start, int end) {
        int lineStart = start;
        while (lineStart < end && (in[lineStart] == '\r' || in[lineStart] == '\n')) {
            lineStart++; // RFC 9112 2.2: empty lines before a request line are ignored
        }
        if (lineStart - start > 16) {
            return new ParseOutcome.Refused(400, "too many empty lines before the request line");
        }
        int requestLineEnd = indexOf(in, lineStart, Math.min(end, lineStart + limits.maxRequestLineLength() + 2));
        if (requestLineEnd < 0) {
            return end - lineStart > limits.maxRequestLineLength() + 1
                    ? new ParseOutcome.Refused(414, "the request line is longer than "
                    + limits.maxRequestLineLength() + " bytes")
                    : ParseOutcome.INCOMPLETE;
        }
        int headersStart = requestLineEnd + 1;
        int headersLimit = headersStart + limits.maxHeaderBytes() + 2;
        int headEnd = endOfHead(in, headersStart, Math.min(end, headersLimit));
        if (headEnd < 0) {
            return end >= headersLimit
                    ? new ParseOutcome.Refused(431, "the header section is larger than " + limits.maxHeaderBytes()
                    + " bytes")
                    : ParseOutcome.INCOMPLETE;
        }
        return parseHead(in, lineStart, requestLineEnd, headersStart, headEnd, headEnd - start);
    }

    private ParseOutcome parseHead(byte[] in, int lineStart, int lineEnd, int headersStart, int headEnd,
                                   int length) {
        String requestLine = line(in, lineStart, lineEnd);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
            return new ParseOutcome.Refused(400, "malformed request line");
        }
        for (int i = 0; i < parts[1].length(); i++) {
            char c = parts[1].charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return new ParseOutcome.Refused(400, "the request target contains a control or non-ASCII byte");
            }
        }
        int minor;
        if (parts[2].equals("HTTP/1.1")) {
            minor = 1;
        } else if (parts[2].equals("HTTP/1.0")) {
            minor = 0;
        } else if (parts[2].matches("HTTP/[0-9]\\.[0-9]")) {
            return new ParseOutcome.Refused(505, parts[2] + " is not supported; use HTTP/1.1");
        } else {
            return new ParseOutcome.Refused(400, "malformed HTTP version");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int count = 0;
        int at = headersStart;
        while (true) {
            int eol = indexOf(in, at, headEnd);
            String field = line(in, at, eol);
            at = eol + 1;
            if (field.isEmpty()) {
                break;
            }
            if (++count > limits.maxHeaderCount()) {
                return new ParseOutcome.Refused(431, "more than " + limits.maxHeaderCount() + " header fields");
            }
            int colon = field.indexOf(':');
            if (colon <= 0 || !isToken(field.substring(0, colon))) {
                return new ParseOutcome.Refused(400, "malformed header field"
                        + (field.charAt(0) == ' ' || field.charAt(0) == '\t' ? " (obsolete line folding)" : ""));
            }
            String name = field.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = trimOws(field.substring(colon + 1));
            if (hasControl(value)) {
                return new ParseOutcome.Refused(400, "a header value contains a control character");
            }
            String previous = headers.putIfAbsent(name, value);
            if (previous != null) {
                if (name.equals("host")) {
                    return new ParseOutcome.Refused(400, "more than one Host header");
                }
                if (name.equals("content-length") && !previous.equals(value)) {
                    return new ParseOutcome.Refused(400, "conflicting Content-Length headers");
                }
                headers.put(name, previous + ", " + value);
            }
        }
        if (minor == 1 && !headers.containsKey("host")) {
            return new ParseOutcome.Refused(400, "an HTTP/1.1 request needs a Host header");
        }
        if (headers.containsKey("transfer-encoding")) {
            if (headers.containsKey("content-length")) {
                // RFC 9112 6.3: both at once is how requests are smuggled past a proxy.
                return new ParseOutcome.Refused(400, "Transfer-Encoding together with Content-Length");
            }
            return new ParseOutcome.Refused(501, "Transfer-Encoding is not supported by this server");
        }
        long contentLength = 0;
        String declared = headers.get("content-length");
        if (declared != null) {
            contentLength = contentLength(declared);
            if (contentLength < 0) {
                // RFC 9110 8.6: anything but one decimal (or a list of the same one) frames nothing we can trust.
                return new ParseOutcome.Refused(400, "malformed Content-Length");
            }
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = minor == 1 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        return new ParseOutcome.Complete(new RequestHead(parts[0], parts[1], minor, Map.copyOf(headers),
                contentLength, keepAlive, length));
    }

    /**
     * The value of a {@code Content-Length} field: one non-negative decimal, or a comma-separated list of the same
     * decimal (which RFC 9110 lets a recipient fold into one).
     *
     * @return the length, or -1 when the field is anything else ({@code "0, 46"}, {@code "3, junk"}, empty)
     */
    static long contentLength(String field) {
        long length = -1;
        // -1 keeps empty elements: "Content-Length: ," splits to none without it (found by fuzzing).
        for (String element : field.split(",", -1)) {
            String digits = trimOws(element);
            if (digits.isEmpty() || digits.length() > 18) {
                return -1;
            }
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                    return -1;
                }
            }
            long value = Long.parseLong(digits);
            if (length >= 0 && value != length) {
                return -1;
            }
            length = value;
        }
        return length;
    }

    /** Without the optional whitespace (space and horizontal tab only, RFC 9110 5.6.3) at either end. */
    private static String trimOws(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        return value.substring(from, to);
    }

    /** Whether a field value holds a control character other than horizontal tab (RFC 9110 5.5). */
    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The index just past the empty line that ends the head, or -1. */
    private static int endOfHead(byte[] in, int from, int to) {
        int at = from;
        while (at < to) {
            int eol = indexOf(in, at, to);
            if (eol < 0) {
                return -1;
            }
            if (eol == at || (eol == at + 1 && in[at] == '\r')) {
                return eol + 1;
            }
            at = eol + 1;
        }
        return -1;
    }

    private static int indexOf(byte[] in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The line from {@code start} to the LF at {@code lf}, without its CR. */
    private static String line(byte[] in, int start, int lf) {
        int end = lf > start && in[lf - 1] == '\r' ? lf - 1 : lf;
        return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasToken(String list, String token) {
        for (String part : list.split(",")) {
            if (part.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }
}
