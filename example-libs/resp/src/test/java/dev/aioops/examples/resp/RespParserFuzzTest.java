package dev.aioops.examples.resp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coverage-guided fuzzing of {@link RespParser} with Jazzer: a reply stream fed in pieces, as a connection's reads
 * deliver it.
 *
 * <p>An input's first byte chooses how many bytes each read delivers (1 to 64); the rest is the stream. For every
 * input: no exception but {@link RespProtocolException} (with a message, and refused again on the next feed);
 * after every feed, what the parser retains stays inside its {@link RespLimits} (nesting, array sizes, line
 * buffer, bulk buffer) and its partial reply holds no more elements and bulk bytes than the bytes fed since it
 * was last idle; and the stream fed in one piece gives the same replies and the same error (a reply means the
 * same however TCP splits it).
 *
 * <p>{@code ./mvnw verify} replays the seeds below and then fuzzes for 3 seconds ({@code aioops.fuzz.duration});
 * a longer run:
 * <pre>
 * ./mvnw -B -ntp verify -pl example-libs/resp -am -Dtest=RespParserFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Daioops.fuzz.duration=10m
 * </pre>
 * It works in {@code example-libs/resp/target/fuzz}: the corpus grows in {@code .cifuzz-corpus} there, and a
 * finding is saved there as {@code crash-<sha1>} and printed as the test's failure. Keep it as a regression test
 * by adding its bytes to {@link #seeds()}. {@code -Daioops.fuzz=false} replays the seeds only.
 */
class RespParserFuzzTest {

    /** Small limits, so that fuzzed inputs (up to 4 KiB) reach every limit (the line buffer starts at 64 bytes). */
    static final RespLimits LIMITS = new RespLimits(512, 8, 4, 64);

    private static final VarHandle OPEN;
    private static final VarHandle LINE;
    private static final VarHandle BULK;
    private static final RecordComponent[] FRAME;

    static {
        try {
            MethodHandles.Lookup parser = MethodHandles.privateLookupIn(RespParser.class, MethodHandles.lookup());
            OPEN = parser.findVarHandle(RespParser.class, "open", java.util.ArrayDeque.class);
            LINE = parser.findVarHandle(RespParser.class, "line", byte[].class);
            BULK = parser.findVarHandle(RespParser.class, "bulk", byte[].class);
            FRAME = Class.forName(RespParser.class.getName() + "$Frame").getRecordComponents();
            for (RecordComponent component : FRAME) {
                component.getAccessor().setAccessible(true);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Stream<Arguments> seeds() {
        return Stream.of(
                "+OK\r\n-ERR unknown command 'FOO'\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n",
                "*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n*1\r\n*1\r\n*0\r\n",
                "$7\r\n\0\r\n\u00ff$*\u0001\r\n-WRONGTYPE Operation against a key\r\n",
                "*2\r\n$3\r\nfoo\r\n$3\r\nbar\r\n:9223372036854775807\r\n:-9223372036854775807\r\n",
                "$513\r\n",
                "*9\r\n",
                "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
                "+" + "x".repeat(70) + "\r\n",
                "+OK\n",
                ":12a\r\n",
                ":9999999999999999999\r\n",
                "$-2\r\n",
                "$3\r\nabcd\r\n",
                "?\r\n",
                // RESP3
                "_\r\n#t\r\n#f\r\n,3.25\r\n,-inf\r\n,nan\r\n(-123456789012345678901234567890\r\n",
                "%2\r\n+a\r\n:1\r\n$1\r\nb\r\n~2\r\n:1\r\n#t\r\n",
                ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n!9\r\nERR oops!\r\n=8\r\ntxt:abcd\r\n",
                "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:1\r\n:2\r\n",
                "*1\r\n|1\r\n+k\r\n+v\r\n+inner\r\n",
                ",1e\u0000\r\n", ",Infinity\r\n", "#x\r\n", "_x\r\n", "=3\r\ntxt\r\n", "=5\r\ntxtxx\r\n",
                ">0\r\n", "%9\r\n", "(\r\n")
                .flatMap(reply -> Stream.of(1, 3, 64).map(read -> {
                    byte[] text = reply.getBytes(StandardCharsets.ISO_8859_1);
                    byte[] input = new byte[text.length + 1];
                    input[0] = (byte) (read - 1);
                    System.arraycopy(text, 0, input, 1, text.length);
                    return Arguments.of((Object) input);
                }));
    }

    /** What a parser made of a stream: the replies, then the error's message or null. */
    private record Decoded(List<RespValue> replies, String error) {
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3s")
    void decodes_any_bytes_split_anywhere_within_its_limits(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int read = 1 + (input[0] & 0x3F);
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        Decoded inPieces = decode(LIMITS, stream, read);
        Decoded inOnePiece = decode(LIMITS, stream, Math.max(1, stream.length));

        assertThat(inPieces).isEqualTo(inOnePiece);
        decode(RespLimits.DEFAULTS, stream, Math.max(1, stream.length)); // the default limits: no other exception
    }

    private static Decoded decode(RespLimits limits, byte[] stream, int read) throws Exception {
        RespParser parser = new RespParser(limits);
        List<RespValue> replies = new ArrayList<>();
        long sinceIdle = 0;
        for (int at = 0; at < stream.length; at += read) {
            byte[] piece = Arrays.copyOfRange(stream, at, Math.min(stream.length, at + read));
            try {
                parser.feed(piece, replies::add);
            } catch (RespProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
                assertThatThrownBy(() -> parser.feed(new byte[] {'+'}, replies::add)).isSameAs(e);
                return new Decoded(replies, e.getMessage());
            }
            sinceIdle = parser.isIdle() ? 0 : sinceIdle + piece.length;
            checkRetained(parser, limits, sinceIdle);
        }
        return new Decoded(replies, null);
    }

    /** What the parser holds between feeds: bounded by its limits and by the bytes of the partial reply. */
    private static void checkRetained(RespParser parser, RespLimits limits, long sinceIdle) throws Exception {
        assertThat(((byte[]) LINE.get(parser)).length).isLessThanOrEqualTo(Math.max(64, limits.maxLineLength()));
        byte[] bulk = (byte[]) BULK.get(parser);
        if (bulk != null) {
            assertThat(bulk.length).isLessThanOrEqualTo(limits.maxBulkLength());
        }
        Collection<?> open = (Collection<?>) OPEN.get(parser);
        assertThat(open.size()).isLessThanOrEqualTo(limits.maxDepth());
        long held = 0;
        for (Object frame : open) {
            int expected = (int) FRAME[1].getAccessor().invoke(frame);
            List<?> elements = (List<?>) FRAME[2].getAccessor().invoke(frame);
            assertThat(expected).isBetween(1, 2 * limits.maxArrayLength()); // a map takes two values per entry
            assertThat(elements.size()).isLessThan(expected);
            for (Object element : elements) {
                held += weight((RespValue) element);
            }
        }
        // Every element took at least 3 bytes ("+\r\n") and a bulk string's content as many as it holds.
        assertThat(held).as("elements and bulk bytes of the partial reply").isLessThanOrEqualTo(sinceIdle);
    }

    private static long weight(RespValue value) {
        return switch (value) {
            case RespValue.BulkString(byte[] bytes) -> 1 + bytes.length;
            case RespValue.Array(List<RespValue> elements) -> 1 + elements.stream()
                    .mapToLong(RespParserFuzzTest::weight).sum();
            case RespValue.Set(List<RespValue> elements) -> 1 + elements.stream()
                    .mapToLong(RespParserFuzzTest::weight).sum();
            case RespValue.Push(List<RespValue> elements) -> 1 + elements.stream()
                    .mapToLong(RespParserFuzzTest::weight).sum();
            case RespValue.Map map -> 1 + map.entries().entrySet().stream()
                    .mapToLong(e -> weight(e.getKey()) + weight(e.getValue())).sum();
            case RespValue.Attributed(RespValue inner, RespValue.Map attributes) -> weight(inner)
                    + weight(attributes);
            case RespValue.Verbatim(String format, String text) -> 1 + text.length();
            default -> 1;
        };
    }
}
