package dev.aioops.examples.http;

import dev.aioops.spi.AioStat;

import java.time.Instant;

/**
 * What a static server answers a conditional or range request with, from a file's metadata (RFC 9110 8.8 and
 * 13–14): its {@code ETag} and {@code Last-Modified}; whether {@code If-None-Match} or {@code If-Modified-Since}
 * make it a {@code 304}; and the one byte range a {@code Range} asks for, honoured only while {@code If-Range}
 * still names this version. Stateless.
 */
final class Validators {

    /** No range asked for (or one this server answers with the whole file: several ranges, or a stale If-Range). */
    static final long[] WHOLE = null;
    /** A range that lies wholly beyond the end of the file: {@code 416}. */
    static final long[] UNSATISFIABLE = new long[0];

    private Validators() {
    }

    /** {@return a strong entity tag of this version of the file: inode, size and modification time} */
    static String etag(AioStat stat) {
        return "\"" + Long.toHexString(stat.inode()) + "-" + Long.toHexString(stat.size()) + "-"
                + Long.toHexString(stat.modifiedSeconds()) + Integer.toHexString(stat.modifiedNanos()) + "\"";
    }

    /** {@return the validator headers of a response with this file, without the last line's CRLF} */
    static String headers(String etag, AioStat stat) {
        return "ETag: " + etag + "\r\nLast-Modified: " + lastModified(stat) + "\r\nAccept-Ranges: bytes";
    }

    /** {@return the modification time in IMF-fixdate, to the second} */
    static String lastModified(AioStat stat) {
        return Dates.imfFixdate(Instant.ofEpochSecond(stat.modifiedSeconds()));
    }

    /**
     * Whether the client's copy is current: {@code If-None-Match} names this tag (or {@code *}), or, without it,
     * {@code If-Modified-Since} is no earlier than the modification time.
     */
    static boolean notModified(RequestHead head, String etag, AioStat stat) {
        String noneMatch = head.headers().get("if-none-match");
        if (noneMatch != null) {
            for (String tag : noneMatch.split(",")) {
                String t = tag.strip();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        Long since = Dates.epochSeconds(head.headers().get("if-modified-since"));
        return since != null && stat.modifiedSeconds() <= since;
    }

    /**
     * The byte range to send.
     *
     * @return {@code {first, last}} (inclusive), {@link #WHOLE}, or {@link #UNSATISFIABLE}
     */
    static long[] range(RequestHead head, String etag, AioStat stat) {
        String range = head.headers().get("range");
        if (range == null || !range.regionMatches(true, 0, "bytes=", 0, 6) || range.indexOf(',') >= 0) {
            return WHOLE;
        }
        String ifRange = head.headers().get("if-range");
        if (ifRange != null && !ifRange.equals(etag) && !ifRange.equals(lastModified(stat))) {
            return WHOLE; // the client's copy is another version: send it all
        }
        String spec = range.substring(6).strip();
        int dash = spec.indexOf('-');
        long size = stat.size();
        try {
            if (dash < 0) {
                return WHOLE;
            }
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                if (suffix <= 0 || size == 0) {
                    return suffix <= 0 ? WHOLE : UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(spec.substring(0, dash));
            long last = dash == spec.length() - 1 ? size - 1 : Long.parseLong(spec.substring(dash + 1));
            if (first < 0) {
                return WHOLE; // invalid syntax: RFC 9110 14.2 says ignore the header
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            if (last < first) {
                return WHOLE;
            }
            return new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException malformed) {
            return WHOLE;
        }
    }
}
