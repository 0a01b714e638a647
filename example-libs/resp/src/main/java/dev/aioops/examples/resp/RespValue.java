package dev.aioops.examples.resp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * One RESP2 or RESP3 reply. A Redis error ({@code -ERR ...}, or RESP3's bulk error) is a value like any other,
 * {@link Error}: a command that Redis refuses does not throw. RESP3 adds {@link Map}, {@link Set}, {@link Double},
 * {@link BigNumber}, {@link Boolean}, {@link Verbatim}, {@link Push} (out-of-band messages, never a command's reply)
 * and {@link Attributed} (a reply with RESP3 attributes); its null is {@link Null} as RESP2's.
 */
public sealed interface RespValue {

    /**
     * Whether this is a Redis error reply.
     *
     * @return {@code true} for {@link Error}
     */
    default boolean isError() {
        return this instanceof Error;
    }

    /**
     * Whether this is a null bulk string or a null array.
     *
     * @return {@code true} for {@link Null}
     */
    default boolean isNull() {
        return this instanceof Null;
    }

    /**
     * The reply as text: a simple string, an error message, a bulk string decoded as UTF-8, an integer's digits.
     *
     * @return the text, or {@code null} for {@link Null}
     * @throws IllegalStateException for an array
     */
    String asString();

    /**
     * The reply as a number: an integer, or a simple or bulk string holding one (as {@code GET} of a counter does).
     *
     * @return the number
     * @throws IllegalStateException if the reply is not a number
     */
    default long asLong() {
        String text = this instanceof Array || this instanceof Map || this instanceof Set || this instanceof Push
                ? null : asString();
        if (text == null || this instanceof Error) {
            throw new IllegalStateException("not a number: " + this);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            throw new IllegalStateException("not a number: " + this, notANumber);
        }
    }

    /**
     * A simple string, {@code +OK}.
     *
     * @param value the text
     */
    record SimpleString(String value) implements RespValue {
        /**
         * Checks the text.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public SimpleString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String asString() {
            return value;
        }
    }

    /**
     * A Redis error reply, {@code -ERR unknown command}.
     *
     * @param message the text after the dash
     */
    record Error(String message) implements RespValue {
        /**
         * Checks the message.
         *
         * @throws NullPointerException if {@code message} is null
         */
        public Error {
            Objects.requireNonNull(message, "message");
        }

        /**
         * The error's code: its first word, such as {@code ERR} or {@code WRONGTYPE}.
         *
         * @return the code
         */
        public String code() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }

        @Override
        public String asString() {
            return message;
        }
    }

    /**
     * An integer, {@code :42}.
     *
     * @param value the number
     */
    record Integer(long value) implements RespValue {
        @Override
        public String asString() {
            return Long.toString(value);
        }

        @Override
        public long asLong() {
            return value;
        }
    }

    /**
     * A binary-safe bulk string, {@code $3\r\nfoo}.
     *
     * @param bytes the content; treat as read-only
     */
    record BulkString(byte[] bytes) implements RespValue {
        /**
         * Checks the content.
         *
         * @throws NullPointerException if {@code bytes} is null
         */
        public BulkString {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BulkString that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BulkString[" + (bytes.length <= 64 ? asString() : bytes.length + " bytes") + "]";
        }
    }

    /**
     * An array of replies, {@code *2\r\n...}.
     *
     * @param elements the replies; unmodifiable
     */
    record Array(List<RespValue> elements) implements RespValue {
        /**
         * Copies the elements.
         *
         * @throws NullPointerException if {@code elements} or one of them is null
         */
        public Array {
            elements = List.copyOf(elements);
        }

        @Override
        public String asString() {
            throw new IllegalStateException("an array is not text: " + this);
        }
    }

    /** The null bulk string ({@code $-1}) or null array ({@code *-1}): RESP2's "no value". */
    enum Null implements RespValue {
        /** The single null. */
        INSTANCE;

        @Override
        public String asString() {
            return null;
        }
    }

    /**
     * A RESP3 boolean, {@code #t} or {@code #f}.
     *
     * @param value the value
     */
    record Boolean(boolean value) implements RespValue {
        @Override
        public String asString() {
            return java.lang.Boolean.toString(value);
        }

        @Override
        public long asLong() {
            return value ? 1 : 0;
        }
    }

    /**
     * A RESP3 double, {@code ,3.14}; {@code inf}, {@code -inf} and {@code nan} included.
     *
     * @param value the value
     */
    record Double(double value) implements RespValue {
        @Override
        public String asString() {
            return java.lang.Double.toString(value);
        }
    }

    /**
     * A RESP3 big number, {@code (3492890328409238509324850943850943825024385}.
     *
     * @param value the value
     */
    record BigNumber(BigInteger value) implements RespValue {
        /**
         * Checks the value.
         *
         * @throws NullPointerException if it is null
         */
        public BigNumber {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String asString() {
            return value.toString();
        }

        @Override
        public long asLong() {
            return value.longValueExact();
        }
    }

    /**
     * A RESP3 verbatim string, {@code =15\r\ntxt:Some string}: text with its format ({@code txt}, {@code mkd}).
     *
     * @param format the three-letter format
     * @param text   the text
     */
    record Verbatim(String format, String text) implements RespValue {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException if one is null
         */
        public Verbatim {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String asString() {
            return text;
        }
    }

    /**
     * A RESP3 map, in the order the server sent it.
     *
     * @param entries the entries; copied, unmodifiable
     */
    record Map(java.util.Map<RespValue, RespValue> entries) implements RespValue {
        /**
         * Copies the entries, keeping their order.
         *
         * @throws NullPointerException if they are null
         */
        public Map {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /**
         * The value of a key given as text (RESP3 maps from Redis have simple or bulk string keys).
         *
         * @param key the key
         * @return its value, or null if absent
         */
        public RespValue get(String key) {
            for (java.util.Map.Entry<RespValue, RespValue> e : entries.entrySet()) {
                if (!(e.getKey() instanceof Array) && key.equals(e.getKey().asString())) {
                    return e.getValue();
                }
            }
            return null;
        }

        @Override
        public String asString() {
            throw new IllegalStateException("a map is not text: " + this);
        }
    }

    /**
     * A RESP3 set, in the order the server sent it.
     *
     * @param elements the elements; copied
     */
    record Set(List<RespValue> elements) implements RespValue {
        /**
         * Copies the elements.
         *
         * @throws NullPointerException if they are null
         */
        public Set {
            elements = List.copyOf(elements);
        }

        @Override
        public String asString() {
            throw new IllegalStateException("a set is not text: " + this);
        }
    }

    /**
     * A RESP3 push: an out-of-band message ({@code message}, {@code pmessage}, {@code smessage}, {@code subscribe}
     * confirmations, {@code invalidate} of client-side caching...), delivered to the push listener, never as a
     * command's reply. In RESP2 the client delivers pub/sub arrays of a subscribed connection as pushes too.
     *
     * @param elements the elements; the first is the kind
     */
    record Push(List<RespValue> elements) implements RespValue {
        /**
         * Copies the elements.
         *
         * @throws NullPointerException     if they are null
         * @throws IllegalArgumentException if there is none
         */
        public Push {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("a push message has at least its kind");
            }
        }

        /**
         * The kind: {@code message}, {@code pmessage}, {@code smessage}, {@code subscribe}, {@code invalidate}...
         *
         * @return the first element as text
         */
        public String kind() {
            return elements.getFirst().asString();
        }

        @Override
        public String asString() {
            throw new IllegalStateException("a push message is not text: " + this);
        }
    }

    /**
     * A reply that came with RESP3 attributes ({@code |}): auxiliary data about the reply, such as key popularity.
     *
     * @param value      the reply itself
     * @param attributes the attributes
     */
    record Attributed(RespValue value, Map attributes) implements RespValue {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException if one is null
         */
        public Attributed {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(attributes, "attributes");
        }

        @Override
        public String asString() {
            return value.asString();
        }

        @Override
        public long asLong() {
            return value.asLong();
        }

        @Override
        public boolean isError() {
            return value.isError();
        }

        @Override
        public boolean isNull() {
            return value.isNull();
        }
    }
}
