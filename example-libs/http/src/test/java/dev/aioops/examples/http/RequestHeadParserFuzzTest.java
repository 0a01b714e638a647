package dev.aioops.examples.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link RequestHeadParser} with Jazzer, the way {@link HttpConnection} drives it:
 * bytes arrive a few at a time, each arrival re-parses what is buffered, a complete head is consumed (and its
 * declared body skipped), and the next pipelined request follows.
 *
 * <p>An input's first byte chooses how many bytes each simulated read delivers (1 to 64); the rest is the
 * stream. For every input: no exception (a refusal is the parser's only error), every refusal has a status this
 * server sends and a reason; every complete head is well formed and lies inside the buffered bytes; the parser
 * asks for more bytes only while fewer than {@link #MOST_PENDING} are buffered (so a connection needs no more
 * buffer than that, whatever a client sends); and the same stream read in one piece gives the same heads and
 * the same final answer (a request means the same however TCP splits it).
 *
 * <p>{@code ./mvnw verify} replays the seeds below and then fuzzes for 3 seconds ({@code aioops.fuzz.duration});
 * a longer run:
 * <pre>
 * ./mvnw -B -ntp verify -pl example-libs/http -am -Dtest=RequestHeadParserFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Daioops.fuzz.duration=10m
 * </pre>
 * It works in {@code example-libs/http/target/fuzz}: the corpus grows in {@code .cifuzz-corpus} there, and a
 * finding is saved there as {@code crash-<sha1>} and printed as the test's failure. Keep it as a regression test
 * by adding its bytes to {@link #seeds()}. {@code -Daioops.fuzz=false} replays the seeds only.
 */
class RequestHeadParserFuzzTest {

    /** Small limits, so that fuzzed inputs (up to 4 KiB) reach every limit. */
    static final HttpLimits LIMITS = new HttpLimits(64, 256, 8, 1024);

    /**
     * The most bytes the parser may leave buffered while it waits for more: a request line and a header section
     * at their limits, their line ends, and up to 16 empty lines before the request line.
     */
    static final int MOST_PENDING = LIMITS.maxRequestLineLength() + LIMITS.maxHeaderBytes() + 19;

    private static final Set<Integer> STATUSES = Set.of(400, 414, 431, 501, 505);

    private final RequestHeadParser parser = new RequestHeadParser(LIMITS);
    private final RequestHeadParser defaults = new RequestHeadParser(HttpLimits.DEFAULTS);

    static Stream<Arguments> seeds() {
        return Stream.of(
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /index.html HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                "HEAD /a/b.txt?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /c HTTP/1.0\r\n\r\n",
                "\r\n\r\nGET / HTTP/1.1\nHost: a\nX-A: 1\nx-a: 2\n\nGET /next HTTP/1.1\r\nHost: b\r\n\r\n",
                "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
                "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
                "GET /" + "a".repeat(80) + " HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(300) + "\r\n\r\n",
                // Findings of the fuzzer, kept as regressions.
                "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: ,\r\n\r\n")
                .flatMap(request -> Stream.of(1, 7, 64).map(read -> {
                    byte[] text = request.getBytes(StandardCharsets.ISO_8859_1);
                    byte[] input = new byte[text.length + 1];
                    input[0] = (byte) (read - 1);
                    System.arraycopy(text, 0, input, 1, text.length);
                    return Arguments.of((Object) input);
                }));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3s")
    void answers_any_bytes_split_anywhere_with_bounded_buffering(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int read = 1 + (input[0] & 0x3F);
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        List<Object> inPieces = serve(stream, read);
        List<Object> inOnePiece = serve(stream, Math.max(1, stream.length));

        assertThat(inPieces).isEqualTo(inOnePiece);
        defaults.parse(stream, 0, stream.length); // the default limits: no exception either
    }

    /** What a connection makes of {@code stream} arriving {@code read} bytes at a time: heads, then an end. */
    private List<Object> serve(byte[] stream, int read) {
        List<Object> answers = new ArrayList<>();
        int start = 0;
        int end = 0;
        long bodyToSkip = 0;
        while (end < stream.length) {
            end = Math.min(stream.length, end + read);
            while (true) {
                int take = (int) Math.min(bodyToSkip, end - start);
                start += take;
                bodyToSkip -= take;
                if (bodyToSkip > 0) {
                    break;
                }
                ParseOutcome outcome = parser.parse(stream, start, end);
                if (outcome instanceof ParseOutcome.Incomplete) {
                    assertThat(end - start).as("bytes buffered while the parser asks for more")
                            .isLessThanOrEqualTo(MOST_PENDING);
                    break;
                }
                if (outcome instanceof ParseOutcome.Refused(int status, String reason)) {
                    assertThat(STATUSES).as(reason).contains(status);
                    assertThat(reason).isNotBlank();
                    answers.add(outcome);
                    return answers;
                }
                RequestHead head = ((ParseOutcome.Complete) outcome).head();
                checkWellFormed(head, end - start);
                answers.add(head);
                start += head.length();
                if (head.contentLength() > LIMITS.maxBodyBytes()) {
                    answers.add("413");
                    return answers;
                }
                bodyToSkip = head.contentLength();
            }
        }
        answers.add(bodyToSkip > 0 ? "in a body" : "waiting with " + (end - start) + " bytes");
        return answers;
    }

    private static void checkWellFormed(RequestHead head, int buffered) {
        assertThat(head.length()).isPositive().isLessThanOrEqualTo(buffered);
        assertThat(head.method()).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        assertThat(head.target()).isNotEmpty().matches("[\\x21-\\x7E]+");
        assertThat(head.minorVersion()).isBetween(0, 1);
        assertThat(head.contentLength()).isNotNegative();
        assertThat(head.headers().size()).isLessThanOrEqualTo(LIMITS.maxHeaderCount());
        for (Map.Entry<String, String> field : head.headers().entrySet()) {
            assertThat(field.getKey()).matches("[!#$%&'*+.^_`|~0-9a-z-]+");
            assertThat(field.getValue()).doesNotContain("\r", "\n", "\0");
        }
        if (head.minorVersion() == 1) {
            assertThat(head.headers()).containsKey("host");
        }
    }
}
