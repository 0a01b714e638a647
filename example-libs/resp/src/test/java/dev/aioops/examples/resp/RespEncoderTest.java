package dev.aioops.examples.resp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RespEncoderTest {

    @Test
    void lengthsOfEveryDigitCountAreWrittenInDecimal() {
        for (int length : new int[] {0, 1, 9, 10, 99, 100, 999, 1000, 12345, 100000, 1234567}) {
            String value = "v".repeat(length);
            String encoded = new String(RespEncoder.command("SET", "k", value), StandardCharsets.UTF_8);

            assertThat(encoded).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + length + "\r\n" + value + "\r\n");
        }
    }

    @Test
    void manyArgumentsAndMultiByteTextAreCountedInBytes() {
        String[] args = new String[12];
        StringBuilder expected = new StringBuilder("*12\r\n");
        for (int i = 0; i < args.length; i++) {
            args[i] = i == 0 ? "MSET" : "é" + i;
            int bytes = args[i].getBytes(StandardCharsets.UTF_8).length;
            expected.append('$').append(bytes).append("\r\n").append(args[i]).append("\r\n");
        }

        assertThat(new String(RespEncoder.command(args), StandardCharsets.UTF_8)).hasToString(expected.toString());
    }

    @Test
    void theParserReadsSlicesOfHeapAndNativeSegmentsAtTheirOffsets() throws Exception {
        byte[] stream = "xx$3\r\nabc\r\n+OK\r\n:42\r\nyy".getBytes(StandardCharsets.US_ASCII);
        List<RespValue> fromHeap = new ArrayList<>();
        List<RespValue> fromNative = new ArrayList<>();
        RespParser heap = new RespParser();
        RespParser nativeParser = new RespParser();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(stream.length);
            MemorySegment.copy(stream, 0, copy, ValueLayout.JAVA_BYTE, 0, stream.length);
            for (int at = 2; at < stream.length - 2; at += 5) {
                int take = Math.min(5, stream.length - 2 - at);
                heap.feed(MemorySegment.ofArray(stream).asSlice(at, take), fromHeap::add);
                nativeParser.feed(copy.asSlice(at, take), fromNative::add);
            }
        }

        assertThat(fromHeap).map(RespValue::asString).containsExactly("abc", "OK", "42");
        assertThat(fromNative).map(RespValue::asString).containsExactly("abc", "OK", "42");
        assertThat(fromHeap.get(2)).isEqualTo(new RespValue.Integer(42));
    }
}
