package dev.aioops.examples.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {

    @Test
    void writes_common_log_format() {
        RequestHead head = new RequestHead("GET", "/hello.txt?x=1", 1, Map.of(), 0, true, 0);
        assertThat(AccessLog.line("127.0.0.1", head, 200, 13, Instant.parse("2026-12-05T21:14:39Z")))
                .isEqualTo("127.0.0.1 - - [05/Dec/2026:21:14:39 +0000] \"GET /hello.txt?x=1 HTTP/1.1\" 200 13");
        assertThat(AccessLog.line("-", null, 400, 0, Instant.parse("2026-01-02T03:04:05Z")))
                .isEqualTo("- - - [02/Jan/2026:03:04:05 +0000] \"-\" 400 -");
    }

    @Test
    void is_off_unless_its_logger_is_enabled() {
        assertThat(AccessLog.enabled()).as("java.util.logging's default level is INFO").isFalse();
    }
}
