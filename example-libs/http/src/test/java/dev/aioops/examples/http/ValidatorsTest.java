package dev.aioops.examples.http;

import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ranges and conditions against a file of 100 bytes last modified at 2026-12-05T21:14:39Z. */
class ValidatorsTest {

    private final Arena arena = Arena.ofConfined();
    private final AioStat stat = AioStat.allocate(arena);

    ValidatorsTest() {
        // What statx(2) would write: stx_ino at 32, stx_size at 40, stx_mtime.tv_sec at 112 (struct statx).
        stat.struct().set(ValueLayout.JAVA_LONG, 32, 4242);
        stat.struct().set(ValueLayout.JAVA_LONG, 40, 100);
        stat.struct().set(ValueLayout.JAVA_LONG, 112, 1_796_505_279L);
    }

    @AfterEach
    void free() {
        arena.close();
    }

    private static RequestHead head(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return new RequestHead("GET", "/f", 1, map, 0, true, 0);
    }

    private long[] range(String value) {
        return Validators.range(head("range", value), Validators.etag(stat), stat);
    }

    @Test
    void single_ranges_as_rfc_9110_reads_them() {
        assertThat(range("bytes=0-9")).containsExactly(0, 9);
        assertThat(range("bytes=90-")).containsExactly(90, 99);
        assertThat(range("bytes=90-1000")).containsExactly(90, 99);
        assertThat(range("bytes=-10")).containsExactly(90, 99);
        assertThat(range("bytes=-1000")).containsExactly(0, 99);
        assertThat(range("bytes=100-")).isSameAs(Validators.UNSATISFIABLE);
        assertThat(range("bytes=9-3")).isNull();
        assertThat(range("bytes=0-1,5-6")).as("several ranges: the whole file").isNull();
        assertThat(range("items=0-1")).isNull();
        assertThat(range("bytes=x-")).isNull();
        assertThat(range("bytes=-")).isNull();
    }

    @Test
    void if_range_keeps_a_range_only_for_this_version() {
        String etag = Validators.etag(stat);
        assertThat(Validators.range(head("range", "bytes=0-1", "if-range", etag), etag, stat)).containsExactly(0, 1);
        assertThat(Validators.range(head("range", "bytes=0-1", "if-range", "Sat, 05 Dec 2026 21:14:39 GMT"), etag,
                stat)).containsExactly(0, 1);
        assertThat(Validators.range(head("range", "bytes=0-1", "if-range", "\"old\""), etag, stat)).isNull();
    }

    @Test
    void not_modified_by_tag_or_by_date() {
        String etag = Validators.etag(stat);
        assertThat(Validators.lastModified(stat)).isEqualTo("Sat, 05 Dec 2026 21:14:39 GMT");
        assertThat(Validators.notModified(head("if-none-match", "\"x\", " + etag), etag, stat)).isTrue();
        assertThat(Validators.notModified(head("if-none-match", "*"), etag, stat)).isTrue();
        assertThat(Validators.notModified(head("if-none-match", "\"x\""), etag, stat)).isFalse();
        assertThat(Validators.notModified(head("if-modified-since", "Sat, 05 Dec 2026 21:14:39 GMT"), etag, stat))
                .isTrue();
        assertThat(Validators.notModified(head("if-modified-since", "Sat, 05 Dec 2026 21:14:38 GMT"), etag, stat))
                .isFalse();
        assertThat(Validators.notModified(head("if-modified-since", "yesterday"), etag, stat)).isFalse();
        assertThat(Validators.notModified(head("if-none-match", "\"x\"", "if-modified-since",
                "Sat, 05 Dec 2026 21:14:39 GMT"), etag, stat)).as("If-None-Match wins").isFalse();
    }
}
