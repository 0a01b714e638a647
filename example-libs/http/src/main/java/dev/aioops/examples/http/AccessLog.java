package dev.aioops.examples.http;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The optional access log: one Common Log Format line per response ({@code 127.0.0.1 - - [05/Dec/2026:21:14:39
 * +0000] "GET /hello.txt HTTP/1.1" 200 13}) on the {@link System.Logger} {@value #NAME} at {@code DEBUG}, so it is off
 * unless that logger is enabled (with {@code java.util.logging}: {@code dev.aioops.examples.http.access.level=FINE}).
 * Nothing is formatted while it is off. Thread-safe.
 */
final class AccessLog {

    /** The logger's name. */
    static final String NAME = "dev.aioops.examples.http.access";

    private static volatile System.Logger log = System.getLogger(NAME);
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AccessLog() {
    }

    /** {@return whether lines are written} */
    static boolean enabled() {
        return log.isLoggable(Level.DEBUG);
    }

    /**
     * The line of one response.
     *
     * @param client the client's address, or {@code "-"}
     * @param head   the request, or null when it could not be parsed
     * @param status the response's status
     * @param bytes  the body's length as sent
     * @param now    the time of the response
     * @return the Common Log Format line
     */
    static String line(String client, RequestHead head, int status, long bytes, Instant now) {
        String request = head == null ? "-"
                : head.method() + " " + head.target() + " HTTP/1." + head.minorVersion();
        return client + " - - [" + CLF_TIME.format(now) + "] \"" + request + "\" " + status + " "
                + (bytes > 0 ? Long.toString(bytes) : "-");
    }

    /**
     * For tests: writes to another logger from now on.
     *
     * @param logger the logger, or null for the default one again
     */
    static void useLogger(System.Logger logger) {
        log = logger != null ? logger : System.getLogger(NAME);
    }

    /** Writes the line of one response, if the log is on. */
    static void log(String client, RequestHead head, int status, long bytes) {
        if (enabled()) {
            log.log(Level.DEBUG, line(client, head, status, bytes, Instant.now()));
        }
    }
}
