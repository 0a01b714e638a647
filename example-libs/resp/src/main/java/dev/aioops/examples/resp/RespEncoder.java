package dev.aioops.examples.resp;

import java.nio.charset.StandardCharsets;

/** Encodes commands as RESP2 arrays of bulk strings, the form Redis expects from clients. */
final class RespEncoder {

    private RespEncoder() {
    }

    /**
     * Encodes one command.
     *
     * @param args the command name and its arguments
     * @return {@code *N\r\n$len\r\narg\r\n...}
     */
    static byte[] command(byte[]... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        // Sized exactly, then written in place: no header arrays, strings or streams per command (on the hot path
        // of pipelining, the encoding was most of the client's CPU time).
        int size = 1 + digits(args.length) + 2;
        for (byte[] arg : args) {
            if (arg == null) {
                throw new NullPointerException("a command argument is null");
            }
            size += 1 + digits(arg.length) + 2 + arg.length + 2;
        }
        byte[] out = new byte[size];
        int at = header(out, 0, '*', args.length);
        for (byte[] arg : args) {
            at = header(out, at, '$', arg.length);
            System.arraycopy(arg, 0, out, at, arg.length);
            at += arg.length;
            out[at++] = '\r';
            out[at++] = '\n';
        }
        return out;
    }

    /**
     * Encodes one command of text arguments, UTF-8.
     *
     * @param args the command name and its arguments
     * @return the encoded command
     */
    static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = utf8(args[i]);
        }
        return command(bytes);
    }

    static byte[] utf8(String text) {
        if (text == null) {
            throw new NullPointerException("a command argument is null");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The decimal digits of a length (>= 0). */
    private static int digits(int value) {
        if (value < 100) {
            return value < 10 ? 1 : 2;
        }
        int digits = 3;
        for (int v = value / 1000; v > 0; v /= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes {@code type}, the decimal {@code length} (>= 0) and CRLF at {@code at}; returns the next index. */
    private static int header(byte[] out, int at, char type, int length) {
        out[at] = (byte) type;
        int end = at + 1 + digits(length);
        int v = length;
        for (int i = end - 1; i > at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        out[end] = '\r';
        out[end + 1] = '\n';
        return end + 2;
    }
}
