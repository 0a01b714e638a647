package dev.aioops.examples.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadParserTest {

    private final RequestHeadParser parser = new RequestHeadParser(new HttpLimits(64, 128, 5, 100));

    private ParseOutcome parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(bytes, 0, bytes.length);
    }

    private RequestHead complete(String text) {
        ParseOutcome outcome = parse(text);
        assertThat(outcome).isInstanceOf(ParseOutcome.Complete.class);
        return ((ParseOutcome.Complete) outcome).head();
    }

    @Test
    void parses_a_request_head_and_says_how_long_it_was() {
        String request = "GET /a/b.txt?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept:  */* \r\nX-A: 1\r\nx-a: 2\r\n\r\n";

        RequestHead head = complete(request + "GET /next HTTP/1.1\r\n");

        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/a/b.txt?x=1");
        assertThat(head.minorVersion()).isEqualTo(1);
        assertThat(head.headers()).containsEntry("host", "localhost").containsEntry("accept", "*/*")
                .containsEntry("x-a", "1, 2");
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.contentLength()).isZero();
        assertThat(head.length()).isEqualTo(request.length());
    }

    @Test
    void waits_for_the_whole_head_whatever_byte_it_was_cut_at() {
        String request = "\r\nHEAD / HTTP/1.0\nConnection: keep-alive\nContent-Length: 3\n\n";
        for (int cut = 0; cut < request.length(); cut++) {
            assertThat(parse(request.substring(0, cut))).as("cut at %d", cut).isEqualTo(ParseOutcome.INCOMPLETE);
        }
        RequestHead head = complete(request);
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.minorVersion()).isZero();
        assertThat(head.contentLength()).isEqualTo(3);
        assertThat(head.length()).isEqualTo(request.length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            HTTP/1.1 | Accept: */*                 | true
            HTTP/1.1 | Connection: close           | false
            HTTP/1.1 | Connection: foo, Close      | false
            HTTP/1.1 | Connection: closed         | true
            HTTP/1.0 | X: y                        | false
            HTTP/1.0 | Connection: Keep-Alive      | true
            """)
    void decides_whether_to_keep_the_connection(String version, String header, boolean keepAlive) {
        String request = "GET / " + version + "\r\nHost: h\r\n" + header + "\r\n\r\n";
        assertThat(complete(request).keepAlive()).isEqualTo(keepAlive);
    }

    private void assertRefused(String request, int status, String reason) {
        assertThat(parse(request)).isInstanceOfSatisfying(ParseOutcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.reason()).contains(reason);
        });
    }

    @Test
    void refuses_what_is_too_long_or_too_many() {
        assertRefused("GET /" + "a".repeat(70), 414, "request line");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(130), 431, "header section");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", 431, "fields");
        assertThat(parse("GET /" + "a".repeat(50))).isEqualTo(ParseOutcome.INCOMPLETE);
    }

    @Test
    void refuses_malformed_requests() {
        assertRefused("GET /\r\n\r\n", 400, "request line");
        assertRefused("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line");
        assertRefused("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line");
        assertRefused("GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400, "version");
        assertRefused("GET / HTTP/1.1\r\n\r\n", 400, "Host");
        assertRefused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host");
        assertRefused("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "header field");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400, "folding");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400,
                "Content-Length");
        assertRefused("GET /\u0001 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "control");
    }

    @Test
    void refuses_a_content_length_of_empty_list_elements_instead_of_throwing() {
        // Found by RequestHeadParserFuzzTest: the split dropped the empty fields and the parser indexed nothing.
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: ,\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: , ,\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: ,5\r\n\r\n", 400, "Content-Length");
    }

    @Test
    void refuses_content_lengths_that_would_smuggle_a_second_request() {
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0, 46\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, junk\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\u000b\r\n\r\n", 400, "control");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\u000c\r\n\r\n", 400, "control");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\n", 400, "Content-Length");
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                400, "Transfer-Encoding together with Content-Length");
    }

    @Test
    void folds_a_content_length_list_of_one_value() {
        assertThat(RequestHeadParser.contentLength("5, 5")).isEqualTo(5);
        assertThat(RequestHeadParser.contentLength(" 7\t")).isEqualTo(7);
        assertThat(RequestHeadParser.contentLength("5,6")).isEqualTo(-1);
        assertThat(RequestHeadParser.contentLength("")).isEqualTo(-1);
    }

    @Test
    void the_date_header_is_imf_fixdate_with_a_two_digit_day() {
        assertThat(Dates.imfFixdate(java.time.Instant.parse("2026-12-05T21:14:39Z")))
                .isEqualTo("Sat, 05 Dec 2026 21:14:39 GMT");
        assertThat(Dates.now())
                .matches("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
    }

    @Test
    void refuses_what_it_does_not_implement() {
        assertRefused("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501, "Transfer-Encoding");
        assertRefused("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "HTTP/2.0");
    }

    @Test
    void content_types_follow_the_extension() {
        assertThat(ContentTypes.of("index.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.of("a.png")).isEqualTo("image/png");
        assertThat(ContentTypes.of("data.json")).isEqualTo("application/json");
        assertThat(ContentTypes.of("noext")).isEqualTo(ContentTypes.DEFAULT);
        assertThat(ContentTypes.of("trailing.")).isEqualTo(ContentTypes.DEFAULT);
    }
}
