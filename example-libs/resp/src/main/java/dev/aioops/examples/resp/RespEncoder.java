package dev.aioops.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes commands as RESP2 arrays of bulk strings, the form Redis expects from clients. */
final class RespEncoder {

    private static final byte[] CRLF = {'\r', '\n'};

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
        int size = header('*', args.length).length;
        for (byte[] arg : args) {
            if (arg == null) {
                throw new NullPointerException("a command argument is null");
            }
            size += header('$', arg.length).length + arg.length + 2;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, header('*', args.length));
        for (byte[] arg : args) {
            at = put(out, at, header('$', arg.length));
            at = put(out, at, arg);
            at = put(out, at, CRLF);
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
        return command(Arrays.stream(args).map(RespEncoder::utf8).toArray(byte[][]::new));
    }

    static byte[] utf8(String text) {
        if (text == null) {
            throw new NullPointerException("a command argument is null");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] header(char type, int length) {
        return (type + Integer.toString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }
}
