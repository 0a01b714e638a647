package dev.aioops.examples.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Maps a request target to a path relative to the served root, refusing every way out that a request can spell:
 * {@code ..} segments, percent-encoded or not ({@code 400}); authority and asterisk forms ({@code 400}; the
 * absolute form {@code http://host/path} is taken as its path); encoded NUL and backslash ({@code 400}); and
 * hides dotfiles ({@code 404}) unless told to serve them. It touches no file: the open that follows is confined beneath the root by the
 * kernel ({@code AioOpenOption.BENEATH}), which refuses symbolic links that lead outside, atomically, so that
 * nothing here has to resolve a link and no check can race the open.
 */
final class TargetResolver {

    /**
     * The outcome: a path to open beneath the root, or a status to answer with.
     *
     * @param path      the path relative to the root ({@code "."} for the root itself), or null
     * @param slashed   the target's path ends with a slash: it names a directory
     * @param targetPath the target's path as sent (percent-encoded), for a redirect to its slashed form
     * @param status    200, or the error status
     * @param reason    why, for an error
     */
    record Resolution(String path, boolean slashed, String targetPath, int status, String reason) {
        static Resolution refused(int status, String reason) {
            return new Resolution(null, false, null, status, reason);
        }
    }

    private TargetResolver() {
    }

    /**
     * The path of a directory's index file.
     *
     * @param directory a path from {@link #resolve}
     * @return the path of its {@code index.html}
     */
    static String indexOf(String directory) {
        return directory.equals(".") ? "index.html" : directory + "/index.html";
    }

    static Resolution resolve(String target) {
        return resolve(target, false);
    }

    /**
     * Resolves a request target.
     *
     * @param target        the target as sent
     * @param serveDotfiles whether a segment starting with a dot may be served
     * @return the path to open, or the status to answer with
     */
    static Resolution resolve(String target, boolean serveDotfiles) {
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            // Absolute form (RFC 9112 3.2.2): the path after the authority; the Host header names the site.
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/")) {
            return Resolution.refused(400, "the request target must be a path starting with '/'");
        }
        int end = target.length();
        int query = target.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        String decoded;
        try {
            decoded = percentDecode(target.substring(0, end));
        } catch (IllegalArgumentException | CharacterCodingException malformed) {
            return Resolution.refused(400, "malformed percent-encoding in the request target");
        }
        if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
            return Resolution.refused(400, "the request target contains NUL or a backslash");
        }
        StringBuilder path = new StringBuilder(decoded.length());
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) {
                return Resolution.refused(400, "'..' is not allowed in a path");
            }
            if (!serveDotfiles && segment.startsWith(".") && !segment.equals(".")) {
                return Resolution.refused(404, "not found"); // dotfiles (.git, .env) are not served
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                path.append(path.isEmpty() ? "" : "/").append(segment);
            }
        }
        String targetPath = target.substring(0, end);
        return new Resolution(path.isEmpty() ? "." : path.toString(), targetPath.endsWith("/"), targetPath, 200,
                null);
    }

    private static String percentDecode(String path) throws CharacterCodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent-encoding");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
    }
}
