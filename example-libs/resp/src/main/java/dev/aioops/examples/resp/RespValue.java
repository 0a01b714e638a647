package dev.aioops.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RESP2 reply. A Redis error ({@code -ERR ...}) is a value like any other, {@link Error}: a command that Redis
 * refuses does not throw.
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
        String text = this instanceof Array ? null : asString();
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
}
