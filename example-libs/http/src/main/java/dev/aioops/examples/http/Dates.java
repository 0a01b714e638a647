package dev.aioops.examples.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's value in IMF-fixdate (RFC 9110 5.6.7: {@code Sun, 06 Nov 1994 08:49:37 GMT}, a
 * two-digit day), formatted at most once per second and shared by every thread.
 */
final class Dates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The last second formatted and its text, replaced as a whole so that readers never see half of it. */
    private record Formatted(long second, String text) {
    }

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private Dates() {
    }

    /** {@return the current time in IMF-fixdate} */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Formatted cached = last;
        if (cached.second() != second) {
            cached = new Formatted(second, imfFixdate(Instant.ofEpochSecond(second)));
            last = cached;
        }
        return cached.text();
    }

    /**
     * An instant in IMF-fixdate.
     *
     * @param instant the time
     * @return for example {@code Sat, 05 Dec 2026 21:14:39 GMT}
     */
    static String imfFixdate(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * The seconds of an IMF-fixdate.
     *
     * @param httpDate a header's value, possibly null
     * @return its epoch seconds, or null when it is absent or not IMF-fixdate (RFC 9110 13.1.3: then ignored)
     */
    static Long epochSeconds(String httpDate) {
        if (httpDate == null) {
            return null;
        }
        try {
            return Instant.from(IMF_FIXDATE.parse(httpDate.strip())).getEpochSecond();
        } catch (java.time.format.DateTimeParseException notImfFixdate) {
            return null;
        }
    }
}
