package dev.aioops.examples.resp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespParserTest {

    private static final byte[] BINARY = {0, '\r', '\n', (byte) 0xFF, '$', '*', 1};

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Several replies of every kind back to back: the stream that is split in every way below. */
    private static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("+OK\r\n-ERR unknown command 'FOO'\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n"));
        out.writeBytes(ascii("$7\r\n"));
        out.writeBytes(BINARY);
        out.writeBytes(ascii("\r\n*-1\r\n*0\r\n*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n*1\r\n*1\r\n*0\r\n"));
        return out.toByteArray();
    }

    private static List<RespValue> expected() {
        return List.of(new RespValue.SimpleString("OK"), new RespValue.Error("ERR unknown command 'FOO'"),
                new RespValue.Integer(42), new RespValue.Integer(-7), new RespValue.BulkString(ascii("hello")),
                new RespValue.BulkString(new byte[0]), RespValue.Null.INSTANCE, new RespValue.BulkString(BINARY),
                RespValue.Null.INSTANCE, new RespValue.Array(List.of()),
                new RespValue.Array(List.of(new RespValue.Integer(1),
                        new RespValue.Array(List.of(new RespValue.BulkString(ascii("a")), RespValue.Null.INSTANCE)),
                        new RespValue.SimpleString("x"))),
                new RespValue.Array(List.of(new RespValue.Array(List.of(new RespValue.Array(List.of()))))));
    }

    @Test
    void parses_every_kind_of_reply_in_one_piece() throws Exception {
        List<RespValue> got = new ArrayList<>();
        RespParser parser = new RespParser();

        parser.feed(stream(), got::add);

        assertThat(got).isEqualTo(expected());
        assertThat(parser.isIdle()).isTrue();
    }

    @Test
    void gives_the_same_replies_when_split_in_two_at_every_byte_boundary() throws Exception {
        byte[] all = stream();
        for (int cut = 0; cut <= all.length; cut++) {
            List<RespValue> got = new ArrayList<>();
            RespParser parser = new RespParser();
            parser.feed(Arrays.copyOfRange(all, 0, cut), got::add);
            parser.feed(Arrays.copyOfRange(all, cut, all.length), got::add);
            assertThat(got).as("split at %d", cut).isEqualTo(expected());
        }
    }

    @Test
    void gives_the_same_replies_fed_one_byte_at_a_time() throws Exception {
        List<RespValue> got = new ArrayList<>();
        RespParser parser = new RespParser();
        for (byte b : stream()) {
            parser.feed(new byte[] {b}, got::add);
        }
        assertThat(got).isEqualTo(expected());
    }

    @Test
    void integers_cover_the_whole_64_bit_range() throws Exception {
        List<RespValue> got = new ArrayList<>();
        new RespParser().feed(ascii(":-9223372036854775808\r\n:9223372036854775807\r\n:-0\r\n"), got::add);
        assertThat(got).containsExactly(new RespValue.Integer(Long.MIN_VALUE),
                new RespValue.Integer(Long.MAX_VALUE), new RespValue.Integer(0));
        assertRefused(RespLimits.DEFAULTS, ":9223372036854775808\r\n", "out of range");
        assertRefused(RespLimits.DEFAULTS, ":-9223372036854775809\r\n", "out of range");
    }

    @Test
    void holds_a_partial_reply_until_it_is_complete() throws Exception {
        List<RespValue> got = new ArrayList<>();
        RespParser parser = new RespParser();
        parser.feed(ascii("*2\r\n$3\r\nfo"), got::add);
        assertThat(got).isEmpty();
        assertThat(parser.isIdle()).isFalse();
        parser.feed(ascii("o\r\n:1\r\n"), got::add);
        assertThat(got).containsExactly(new RespValue.Array(List.of(new RespValue.BulkString(ascii("foo")),
                new RespValue.Integer(1))));
    }

    private static void assertRefused(RespLimits limits, String input, String message) {
        RespParser parser = new RespParser(limits);
        assertThatThrownBy(() -> parser.feed(ascii(input), v -> { }))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> parser.feed(ascii("+OK\r\n"), v -> { }))
                .as("a failed parser stays failed").isInstanceOf(RespProtocolException.class);
    }

    @Test
    void refuses_declared_sizes_over_the_limits_before_allocating() {
        RespLimits small = new RespLimits(10, 3, 2, 32);
        assertRefused(small, "$11\r\n", "maxBulkLength");
        assertRefused(small, "*4\r\n", "maxArrayLength");
        assertRefused(small, "*1\r\n*1\r\n*1\r\n", "maxDepth");
        assertRefused(small, "+" + "x".repeat(40) + "\r\n", "maxLineLength");
        assertRefused(RespLimits.DEFAULTS, "$2147483647\r\n", "maxBulkLength");
        assertRefused(RespLimits.DEFAULTS, "*9223372036854775807\r\n", "maxArrayLength");
        assertRefused(RespLimits.DEFAULTS, "*99999999999999999999\r\n", "not a number");
    }

    @Test
    void a_huge_declared_array_costs_nothing_until_its_elements_arrive() throws Exception {
        RespParser parser = new RespParser(new RespLimits(16, Integer.MAX_VALUE, 4, 64));
        List<RespValue> got = new ArrayList<>();
        parser.feed(ascii("*2000000000\r\n:1\r\n"), got::add);
        assertThat(got).isEmpty();
    }

    @Test
    void a_64_mib_value_passes_with_the_default_limits_in_pieces_of_any_size() throws Exception {
        int size = 64 << 20;
        RespParser parser = new RespParser();
        List<RespValue> got = new ArrayList<>();
        parser.feed(ascii("$" + size + "\r\n"), got::add);
        byte[] chunk = new byte[(1 << 20) + 7];
        java.util.Arrays.fill(chunk, (byte) 'v');
        for (int sent = 0; sent < size; sent += chunk.length) {
            parser.feed(java.lang.foreign.MemorySegment.ofArray(chunk).asSlice(0, Math.min(chunk.length,
                    size - sent)), got::add);
        }
        parser.feed(ascii("\r\n"), got::add);
        assertThat(got).hasSize(1);
        byte[] value = ((RespValue.BulkString) got.getFirst()).bytes();
        assertThat(value).hasSize(size);
        assertThat(value[size - 1]).isEqualTo((byte) 'v');
    }

    @Test
    void a_declared_bulk_costs_memory_only_as_its_bytes_arrive() throws Exception {
        RespParser parser = new RespParser(RespLimits.DEFAULTS.withMaxReplyBytes(1 << 20));
        List<RespValue> got = new ArrayList<>();
        parser.feed(ascii("$" + (512 << 20) + "\r\n" + "x".repeat(1000)), got::add); // 512 MiB declared
        assertThatThrownBy(() -> parser.feed(new byte[2 << 20], got::add))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("maxReplyBytes");
    }

    @Test
    void a_flood_of_small_elements_is_bounded_by_the_reply_memory_not_the_wire_bytes() {
        RespParser parser = new RespParser(RespLimits.DEFAULTS.withMaxReplyBytes(1 << 20));
        StringBuilder flood = new StringBuilder("*10000000\r\n");
        for (int i = 0; i < 100_000; i++) {
            flood.append(":1\r\n");
        }
        // 400 KB on the wire, but about 2.4 MB of objects: refused at the 1 MiB cap.
        assertThatThrownBy(() -> parser.feed(ascii(flood.toString()), v -> { }))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("maxReplyBytes");
    }

    @Test
    void the_reply_memory_is_counted_per_reply() throws Exception {
        RespParser parser = new RespParser(RespLimits.DEFAULTS.withMaxReplyBytes(4096));
        List<RespValue> got = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            parser.feed(ascii("$1000\r\n" + "y".repeat(1000) + "\r\n"), got::add);
        }
        assertThat(got).hasSize(1000);
    }

    @Test
    void decodes_every_resp3_type_split_at_every_byte() throws Exception {
        String stream = "_\r\n#t\r\n,-2.5e3\r\n,inf\r\n(12345678901234567890123\r\n!8\r\nERR bulk\r\n"
                + "=8\r\nmkd:*hi*\r\n%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n~1\r\n#f\r\n"
                + ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
                + "|1\r\n+key-popularity\r\n:7\r\n+OK\r\n";
        for (int piece = 1; piece <= stream.length(); piece++) {
            RespParser parser = new RespParser();
            List<RespValue> got = new ArrayList<>();
            for (int at = 0; at < stream.length(); at += piece) {
                parser.feed(ascii(stream.substring(at, Math.min(stream.length(), at + piece))), got::add);
            }
            assertThat(got).as("in pieces of %d", piece).hasSize(10);
            assertThat(got.get(0)).isEqualTo(RespValue.Null.INSTANCE);
            assertThat(got.get(1)).isEqualTo(new RespValue.Boolean(true));
            assertThat(got.get(2)).isEqualTo(new RespValue.Double(-2500));
            assertThat(got.get(3)).isEqualTo(new RespValue.Double(Double.POSITIVE_INFINITY));
            assertThat(got.get(4)).isEqualTo(new RespValue.BigNumber(new java.math.BigInteger(
                    "12345678901234567890123")));
            assertThat(got.get(5)).isEqualTo(new RespValue.Error("ERR bulk"));
            assertThat(got.get(6)).isEqualTo(new RespValue.Verbatim("mkd", "*hi*"));
            RespValue.Map map = (RespValue.Map) got.get(7);
            assertThat(map.get("first")).isEqualTo(new RespValue.Integer(1));
            assertThat(map.get("second")).isEqualTo(new RespValue.Set(List.of(new RespValue.Boolean(false))));
            RespValue.Push push = (RespValue.Push) got.get(8);
            assertThat(push.kind()).isEqualTo("message");
            assertThat(push.elements().get(2).asString()).isEqualTo("hello");
            assertThat(got.get(9).asString()).isEqualTo("OK");
        }
    }

    @Test
    void attributes_go_with_the_value_that_follows_them() throws Exception {
        RespParser parser = new RespParser();
        List<RespValue> got = new ArrayList<>();
        parser.feed(ascii("|1\r\n+key-popularity\r\n:7\r\n*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n"), got::add);
        RespValue.Attributed outer = (RespValue.Attributed) got.getFirst();
        assertThat(outer.attributes().get("key-popularity")).isEqualTo(new RespValue.Integer(7));
        RespValue.Array array = (RespValue.Array) outer.value();
        assertThat(array.elements().getFirst()).isInstanceOf(RespValue.Attributed.class);
        assertThat(array.elements().getFirst().asLong()).isEqualTo(1);
        assertThat(parser.isIdle()).isTrue();
    }

    @Test
    void refuses_malformed_resp3() {
        assertRefused(RespLimits.DEFAULTS, "#x\r\n", "t or f");
        assertRefused(RespLimits.DEFAULTS, "_1\r\n", "no content");
        assertRefused(RespLimits.DEFAULTS, ",Infinity\r\n", "not a number");
        assertRefused(RespLimits.DEFAULTS, ",0x1p3\r\n", "not a number");
        assertRefused(RespLimits.DEFAULTS, "(12a\r\n", "not a number");
        assertRefused(RespLimits.DEFAULTS, "=3\r\ntxt\r\n", "format");
        assertRefused(RespLimits.DEFAULTS, ">0\r\n", "empty push");
        assertRefused(RespLimits.DEFAULTS, "!-1\r\n", "negative");
    }

    @Test
    void refuses_what_is_not_resp2() {
        assertRefused(RespLimits.DEFAULTS, "HTTP/1.1 200 OK\r\n", "type byte");
        assertRefused(RespLimits.DEFAULTS, "\0\r\n", "type byte");
        assertRefused(RespLimits.DEFAULTS, "+OK\n", "without CR");
        assertRefused(RespLimits.DEFAULTS, "$3\r\nfooXY", "not followed by CRLF");
        assertRefused(RespLimits.DEFAULTS, ":12a\r\n", "not a number");
        assertRefused(RespLimits.DEFAULTS, "$\r\n", "not a number");
        assertRefused(RespLimits.DEFAULTS, "$-2\r\n", "negative");
        assertRefused(RespLimits.DEFAULTS, "*-5\r\n", "negative");
    }

    @Test
    void values_convert_to_text_and_numbers() {
        assertThat(new RespValue.BulkString(ascii("12")).asLong()).isEqualTo(12);
        assertThat(new RespValue.Integer(3).asString()).isEqualTo("3");
        assertThat(new RespValue.Error("WRONGTYPE Operation against a key").code()).isEqualTo("WRONGTYPE");
        assertThat(RespValue.Null.INSTANCE.asString()).isNull();
        assertThat(RespValue.Null.INSTANCE.isNull()).isTrue();
        assertThatThrownBy(() -> new RespValue.Error("ERR x").asLong()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RespValue.SimpleString("x").asLong()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RespValue.Array(List.of()).asString()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void encodes_commands_as_arrays_of_bulk_strings() {
        assertThat(new String(RespEncoder.command("SET", "k", "é"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
        assertThat(RespEncoder.command(ascii("GET"), new byte[0])).isEqualTo(ascii("*2\r\n$3\r\nGET\r\n$0\r\n\r\n"));
        assertThatThrownBy(() -> RespEncoder.command(new String[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RespEncoder.command("GET", null)).isInstanceOf(NullPointerException.class);
    }
}
