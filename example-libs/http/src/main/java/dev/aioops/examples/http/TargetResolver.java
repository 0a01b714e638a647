package dev.aioops.examples.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Maps a request target to a regular file under the root, refusing every way out of it: {@code ..} segments,
 * percent-encoded or not ({@code 400}); absolute and authority forms ({@code 400}); encoded NUL and backslash
 * ({@code 400}); and symbolic links, anywhere on the path, that lead outside the root ({@code 404}, as if
 * absent). A directory is served by its {@code index.html}.
 *
 * <p>The symbolic-link check resolves the real path ({@code realpath}, a {@code stat} per component), which
 * {@link dev.aioops.spi.AioOperations} has no operation for; it runs on the calling thread, served by the
 * kernel's dentry cache for a local file system. A server on a slow or network file system would do it on a
 * worker (see the offload example).
 */
final class TargetResolver {

    /**
     * The outcome: a file to serve, or a status to answer with.
     *
     * @param file   the real path of a regular file under the root, or null
     * @param size   its size in bytes
     * @param status 200, or the error status
     * @param reason why, for an error
     */
    record Resolution(Path file, long size, int status, String reason) {
        static Resolution refused(int status, String reason) {
            return new Resolution(null, 0, status, reason);
        }
    }

    private final Path realRoot;

    TargetResolver(Path root) throws IOException {
        this.realRoot = root.toRealPath();
        if (!Files.isDirectory(realRoot)) {
            throw new NoSuchFileException(root.toString(), null, "the root to serve is not a directory");
        }
    }

    Path root() {
        return realRoot;
    }

    Resolution resolve(String target) {
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
        Path candidate = realRoot;
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) {
                return Resolution.refused(400, "'..' is not allowed in a path");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                candidate = candidate.resolve(segment);
            }
        }
        if (!candidate.normalize().startsWith(realRoot)) {
            return Resolution.refused(400, "the path leaves the served directory");
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot)) {
                return Resolution.refused(404, "not found");
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                return resolve(target.substring(0, end).replaceAll("/*$", "") + "/index.html");
            }
            if (!attributes.isRegularFile()) {
                return Resolution.refused(404, "not found");
            }
            return new Resolution(real, attributes.size(), 200, null);
        } catch (IOException | SecurityException | java.nio.file.InvalidPathException missing) {
            return Resolution.refused(404, "not found");
        }
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
