package dev.aioops.examples.resp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An incremental RESP2 and RESP3 decoder: feed it bytes as they arrive, in pieces of any size split anywhere (inside a
 * length line, a bulk string or its trailing CRLF), and it hands each complete top-level reply to a
 * {@link Sink}. Its memory grows with the bytes received, bounded by {@link RespLimits}; a declared length over
 * a limit, or bytes that are neither RESP2 nor RESP3, raise a {@link RespProtocolException} at once, after which the parser
 * refuses further input (the stream cannot be resynchronised).
 *
 * <p>Not thread-safe: one connection, one thread at a time (the loop, in {@link RedisClient}).
 */
public final class RespParser {

    /** Receives complete replies, in the order they were sent. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Takes one complete top-level reply.
         *
         * @param reply the reply
         * @throws RespProtocolException if the reply is not acceptable here (for example nobody asked for it)
         */
        void reply(RespValue reply) throws RespProtocolException;
    }

    /**
     * An aggregate being filled: its type byte ({@code *}, {@code %}, {@code ~}, {@code >}, {@code |}, or
     * {@link #ATTRIBUTED} for the value that follows attributes), how many values it takes (a map two per entry)
     * and those received so far.
     */
    private record Frame(byte type, int expected, List<RespValue> elements, RespValue.Map attributes) {
    }

    /** The frame of the one value that attributes ({@code |}) describe. */
    private static final byte ATTRIBUTED = 'A';
    private static final String TYPES = "+-:$*_#,(!=%~>|";
    private static final RespValue.SimpleString OK = new RespValue.SimpleString("OK");

    private final RespLimits limits;
    private final ArrayDeque<Frame> open = new ArrayDeque<>();
    private byte type;
    private byte[] line = new byte[64];
    private int lineLength;
    private byte[] bulk;
    /** The type of the bulk being received: {@code $} string, {@code !} error, {@code =} verbatim. */
    private byte bulkType;
    /** The declared length of the bulk string being received; {@link #bulk} grows towards it as bytes arrive. */
    private int bulkLength;
    private int bulkFilled;
    /** The estimated heap of the reply being received, charged as its values arrive. */
    private long replyBytes;
    private int bulkTrailer;
    private RespProtocolException failure;
    /** Where native input is copied to be scanned; allocated at the first native feed. */
    private byte[] scratch;

    /**
     * A parser with {@link RespLimits#DEFAULTS}.
     */
    public RespParser() {
        this(RespLimits.DEFAULTS);
    }

    /**
     * A parser with the given limits.
     *
     * @param limits what the input may declare
     */
    public RespParser(RespLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Consumes bytes, handing every reply they complete to {@code sink}.
     *
     * @param bytes the next bytes of the stream, heap or native; read, not kept
     * @param sink  receives complete replies
     * @throws RespProtocolException if the bytes are not RESP2 or exceed the limits, or if this parser failed
     *                               before
     */
    public void feed(MemorySegment bytes, Sink sink) throws RespProtocolException {
        Objects.requireNonNull(sink, "sink");
        if (failure != null) {
            throw failure;
        }
        try {
            consume(bytes, sink);
        } catch (RespProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Consumes bytes from an array; see {@link #feed(MemorySegment, Sink)}.
     *
     * @param bytes the next bytes of the stream
     * @param sink  receives complete replies
     * @throws RespProtocolException as {@link #feed(MemorySegment, Sink)}
     */
    public void feed(byte[] bytes, Sink sink) throws RespProtocolException {
        feed(MemorySegment.ofArray(bytes), sink);
    }

    /**
     * Whether the parser stands between replies, holding no partial one.
     *
     * @return {@code true} if every byte fed so far belonged to complete replies
     */
    public boolean isIdle() {
        return type == 0 && bulk == null && open.isEmpty();
    }

    /** Heap costs, in bytes: an object header with a field or two, and an array's header. */
    private static final int OBJECT = 16;
    private static final int ARRAY = 16;
    /** The first capacity of a bulk string's array; it doubles as bytes arrive, up to the declared length. */
    private static final int FIRST_BULK_CAPACITY = 64 * 1024;
    /** The block in which native input is copied to the heap to be scanned. */
    private static final int SCRATCH_SIZE = 16 * 1024;

    private void charge(long bytes) throws RespProtocolException {
        replyBytes += bytes;
        if (replyBytes > limits.maxReplyBytes()) {
            throw new RespProtocolException("a reply would take more than " + limits.maxReplyBytes()
                    + " bytes of memory (RespLimits.maxReplyBytes)");
        }
    }

    private void consume(MemorySegment bytes, Sink sink) throws RespProtocolException {
        if (bytes.heapBase().orElse(null) instanceof byte[] array && bytes.byteSize() <= Integer.MAX_VALUE) {
            long offset = bytes.address();
            consume(array, (int) offset, (int) (offset + bytes.byteSize()), sink);
            return;
        }
        // A native segment is copied to the heap a block at a time and scanned there: one bulk copy costs less than
        // a checked native access per byte (pipelined, the per-byte accesses were a fifth of the client's time).
        long n = bytes.byteSize();
        for (long at = 0; at < n; ) {
            int take = (int) Math.min(n - at, SCRATCH_SIZE);
            if (scratch == null) {
                scratch = new byte[SCRATCH_SIZE];
            }
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, scratch, 0, take);
            consume(scratch, 0, take, sink);
            at += take;
        }
    }

    private void consume(byte[] bytes, int from, int to, Sink sink) throws RespProtocolException {
        int i = from;
        while (i < to) {
            if (bulk != null) {
                if (bulkFilled < bulkLength) {
                    if (bulkFilled == bulk.length) {
                        int capacity = (int) Math.min(bulkLength, Math.max(FIRST_BULK_CAPACITY, 2L * bulk.length));
                        charge(capacity - bulk.length);
                        bulk = Arrays.copyOf(bulk, capacity);
                    }
                    int take = Math.min(bulk.length - bulkFilled, to - i);
                    System.arraycopy(bytes, i, bulk, bulkFilled, take);
                    bulkFilled += take;
                    i += take;
                    continue;
                }
                byte b = bytes[i++];
                if (b != (bulkTrailer == 0 ? '\r' : '\n')) {
                    throw new RespProtocolException("a bulk string of " + bulkLength
                            + " bytes is not followed by CRLF");
                }
                if (++bulkTrailer == 2) {
                    byte[] done = bulk; // grown to exactly bulkLength by now
                    bulk = null;
                    emit(bulkValue(done), sink);
                }
                continue;
            }
            byte b = bytes[i++];
            if (type == 0) {
                if (TYPES.indexOf(b) < 0 || b == 0) {
                    throw new RespProtocolException("not a RESP type byte: 0x" + Integer.toHexString(b & 0xFF));
                }
                type = b;
                lineLength = 0;
            } else if (b == '\n') {
                if (lineLength == 0 || line[lineLength - 1] != '\r') {
                    throw new RespProtocolException("a line ends in LF without CR");
                }
                lineLength--;
                byte lineType = type;
                type = 0;
                lineDone(lineType, sink);
            } else {
                append(b);
            }
        }
    }

    private void append(byte b) throws RespProtocolException {
        if (lineLength == limits.maxLineLength()) {
            throw new RespProtocolException("a line is longer than " + limits.maxLineLength()
                    + " bytes (RespLimits.maxLineLength)");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, limits.maxLineLength()));
        }
        line[lineLength++] = b;
    }

    private void lineDone(byte lineType, Sink sink) throws RespProtocolException {
        switch (lineType) {
            case '+' -> {
                charge(2 * OBJECT + ARRAY + lineLength);
                // +OK, the reply of every SET, is one shared immutable value rather than a string per reply.
                boolean ok = lineLength == 2 && line[0] == 'O' && line[1] == 'K';
                emit(ok ? OK : new RespValue.SimpleString(text()), sink);
            }
            case '-' -> {
                charge(2 * OBJECT + ARRAY + lineLength);
                emit(new RespValue.Error(text()), sink);
            }
            case ':' -> {
                charge(OBJECT);
                emit(new RespValue.Integer(number("an integer")), sink);
            }
            case '_' -> {
                if (lineLength != 0) {
                    throw new RespProtocolException("a RESP3 null has no content: '" + text() + "'");
                }
                emit(RespValue.Null.INSTANCE, sink);
            }
            case '#' -> {
                if (lineLength != 1 || (line[0] != 't' && line[0] != 'f')) {
                    throw new RespProtocolException("a RESP3 boolean is t or f, not '" + text() + "'");
                }
                charge(OBJECT);
                emit(new RespValue.Boolean(line[0] == 't'), sink);
            }
            case ',' -> {
                charge(OBJECT);
                emit(new RespValue.Double(decimal()), sink);
            }
            case '(' -> {
                charge(2 * OBJECT + ARRAY + lineLength);
                emit(new RespValue.BigNumber(bigNumber()), sink);
            }
            case '$', '!', '=' -> {
                long length = number("a bulk length");
                if (length == -1 && lineType == '$') {
                    emit(RespValue.Null.INSTANCE, sink);
                } else if (length < 0) {
                    throw new RespProtocolException("negative bulk length " + length);
                } else if (length > limits.maxBulkLength()) {
                    throw new RespProtocolException("a bulk string of " + length + " bytes exceeds the limit of "
                            + limits.maxBulkLength() + " (RespLimits.maxBulkLength)");
                } else if (lineType == '=' && length < 4) {
                    throw new RespProtocolException("a verbatim string starts with its format and ':'");
                } else {
                    // Sized by what has arrived, not by what was declared: a declared length costs nothing.
                    bulkType = lineType;
                    bulkLength = (int) length;
                    int capacity = Math.min(bulkLength, FIRST_BULK_CAPACITY);
                    charge(ARRAY + OBJECT + capacity);
                    bulk = new byte[capacity];
                    bulkFilled = 0;
                    bulkTrailer = 0;
                }
            }
            default -> aggregate(lineType, sink);
        }
    }

    /** The value of a complete bulk: a string, an error ({@code !}) or a verbatim string ({@code =}). */
    private RespValue bulkValue(byte[] bytes) throws RespProtocolException {
        return switch (bulkType) {
            case '!' -> new RespValue.Error(new String(bytes, StandardCharsets.UTF_8));
            case '=' -> {
                if (bytes[3] != ':') {
                    throw new RespProtocolException("a verbatim string starts with its format and ':'");
                }
                yield new RespValue.Verbatim(new String(bytes, 0, 3, StandardCharsets.UTF_8),
                        new String(bytes, 4, bytes.length - 4, StandardCharsets.UTF_8));
            }
            default -> new RespValue.BulkString(bytes);
        };
    }

    /** The header of an array, map, set, push or attributes: opens a frame (or emits an empty aggregate). */
    private void aggregate(byte lineType, Sink sink) throws RespProtocolException {
        long length = number("an aggregate length");
        if (length == -1 && lineType == '*') {
            emit(RespValue.Null.INSTANCE, sink);
        } else if (length < 0) {
            throw new RespProtocolException("negative aggregate length " + length);
        } else if (length > limits.maxArrayLength()) {
            throw new RespProtocolException("an aggregate of " + length + " elements exceeds the limit of "
                    + limits.maxArrayLength() + " (RespLimits.maxArrayLength)");
        } else if (open.size() >= limits.maxDepth()) {
            throw new RespProtocolException("aggregates nest deeper than " + limits.maxDepth()
                    + " levels (RespLimits.maxDepth)");
        } else if (length == 0 && lineType != '|' && lineType != '>') {
            emit(build(lineType, List.of()), sink);
        } else if (length == 0) {
            throw new RespProtocolException("empty " + (lineType == '>' ? "push message" : "attributes"));
        } else {
            // Sized by what has arrived, not by what was declared: a declared length costs nothing.
            charge(3 * OBJECT + ARRAY + 16 * 8);
            int values = (int) (lineType == '%' || lineType == '|' ? 2 * length : length);
            open.push(new Frame(lineType, values, new ArrayList<>(Math.min(values, 16)), null));
        }
    }

    private static RespValue.Map mapOf(List<RespValue> keysAndValues) {
        java.util.LinkedHashMap<RespValue, RespValue> entries = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            entries.put(keysAndValues.get(i), keysAndValues.get(i + 1));
        }
        return new RespValue.Map(entries);
    }

    private static RespValue build(byte type, List<RespValue> elements) {
        return switch (type) {
            case '%', '|' -> mapOf(elements);
            case '~' -> new RespValue.Set(elements);
            case '>' -> new RespValue.Push(elements);
            default -> new RespValue.Array(elements);
        };
    }

    private void emit(RespValue value, Sink sink) throws RespProtocolException {
        RespValue done = value;
        while (!open.isEmpty()) {
            Frame top = open.peek();
            if (top.elements().size() >= 16) {
                charge(8); // the element's slot, beyond the 16 charged with the array
            }
            top.elements().add(done);
            if (top.elements().size() < top.expected()) {
                return;
            }
            open.pop();
            if (top.type() == '|') {
                // The attributes describe the value that follows: it completes the frame pushed here.
                open.push(new Frame(ATTRIBUTED, 1, new ArrayList<>(1), mapOf(top.elements())));
                return;
            }
            done = top.type() == ATTRIBUTED ? new RespValue.Attributed(top.elements().getFirst(), top.attributes())
                    : build(top.type(), top.elements());
        }
        replyBytes = 0;
        sink.reply(done);
    }

    private double decimal() throws RespProtocolException {
        String text = text();
        switch (text) {
            case "inf":
                return java.lang.Double.POSITIVE_INFINITY;
            case "-inf":
                return java.lang.Double.NEGATIVE_INFINITY;
            case "nan":
                return java.lang.Double.NaN;
            default:
                break;
        }
        // Only what RESP3 allows: Java would also take "Infinity", hex floats and a trailing 'd'.
        if (text.isEmpty() || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || "+-.eE".indexOf(c) >= 0)) {
            throw new RespProtocolException("a double is not a number: '" + text + "'");
        }
        try {
            return java.lang.Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("a double is not a number: '" + text + "'");
        }
    }

    private java.math.BigInteger bigNumber() throws RespProtocolException {
        String text = text();
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        if (text.length() == start || !text.chars().skip(start).allMatch(c -> c >= '0' && c <= '9')) {
            throw new RespProtocolException("a big number is not a number: '" + text + "'");
        }
        return new java.math.BigInteger(text);
    }

    private String text() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    private long number(String what) throws RespProtocolException {
        int start = lineLength > 0 && line[0] == '-' ? 1 : 0;
        if (lineLength == start || lineLength - start > 19) {
            throw new RespProtocolException(what + " is not a number: '" + text() + "'");
        }
        // Accumulated as a negative number, as Long.parseLong does: the range's negative end is one larger, so
        // -9223372036854775808 (a real DECR result) fits.
        long limit = start == 1 ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplyMin = limit / 10;
        long value = 0;
        for (int i = start; i < lineLength; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new RespProtocolException(what + " is not a number: '" + text() + "'");
            }
            if (value < multiplyMin || value * 10 < limit + digit) {
                throw new RespProtocolException(what + " is out of range: '" + text() + "'");
            }
            value = value * 10 - digit;
        }
        return start == 1 ? value : -value;
    }
}
