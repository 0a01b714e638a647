package dev.aioops.examples.http;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@link StaticFileServer} with an open-file cache ({@link HttpServerConfig#withOpenFileCache}), against the mocked
 * operations of {@link MockedHttpServer}: a file is opened and statted once for many requests, its handle stays open
 * between them and is closed when the entry expires or the server closes; without the cache every request opens,
 * stats and closes its file.
 */
class OpenFileCacheTest extends MockedHttpServer {

    private static final String HELLO = "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void a_cached_file_is_opened_and_statted_once_for_many_requests_and_stays_open() {
        start(HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofHours(1)));
        clientSends(HELLO + HELLO);
        clientSends(HELLO);

        List<Response> responses = responses();
        assertThat(responses).extracting(Response::text).containsExactly("hello", "hello", "hello");
        assertThat(responses).allSatisfy(r -> assertThat(r.headers()).containsKeys("etag", "last-modified"));
        verify(ops, times(1)).openAt(eq(ROOT), eq(Path.of("hello.txt")), any(), any(), any());
        verify(ops, times(1)).fstat(anyInt(), any(), any(), any());
        assertThat(closed).as("the cached handle stays open").isEmpty();
        assertThat(server.openFiles().size()).isEqualTo(1);
    }

    @Test
    void closing_the_server_closes_the_cached_handles() {
        start(HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofHours(1)));
        clientSends(HELLO);
        clientSends("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        server.close();

        assertThat(closed).as("the directory, then on close")
                .containsExactlyInAnyOrder(10, SOCKET, LISTENER, ROOT, 9, 11);
        assertThat(server.openFiles().size()).isZero();
        assertThat(server.closed()).isCompleted();
    }

    @Test
    void an_expired_entry_is_closed_and_the_file_opened_again() {
        start(HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofNanos(1)));
        clientSends(HELLO);
        clientSends(HELLO);

        assertThat(responses()).extracting(Response::text).containsExactly("hello", "hello");
        verify(ops, times(2)).openAt(eq(ROOT), eq(Path.of("hello.txt")), any(), any(), any());
        assertThat(closed).as("the first handle, once expired").containsExactly(9);
    }

    @Test
    void a_missing_file_or_a_directory_is_not_cached() {
        start(HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofHours(1)));
        clientSends("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        clientSends("GET /hello.txt/ HTTP/1.1\r\nHost: x\r\n\r\n");
        clientSends(HELLO);
        clientSends("GET /hello.txt/ HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(responses()).extracting(Response::status).containsExactly(404, 404, 404, 200, 404);
        verify(ops, times(2)).openAt(eq(ROOT), eq(Path.of("nope")), any(), any(), any());
        assertThat(server.openFiles().size()).isEqualTo(1);
    }

    @Test
    void without_the_cache_every_request_opens_stats_and_closes_its_file() {
        start(HttpServerConfig.DEFAULTS);
        clientSends(HELLO + HELLO);

        assertThat(responses()).extracting(Response::text).containsExactly("hello", "hello");
        verify(ops, times(2)).fstat(anyInt(), any(), any(), any());
        assertThat(closed).containsExactly(9, 10);
        assertThat(server.openFiles().size()).isZero();
    }

    @Test
    void a_negative_validity_is_refused() {
        assertThatThrownBy(() -> HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openFileCache");
    }
}
