package dev.aioops.spi.internal;

import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The argument checks of the file-system operations ({@link dev.aioops.spi.AioFileOperations}), made by every
 * adapter before it accepts a submission, so that misuse throws the same exception with the same message
 * whatever the adapter.
 */
public final class FileChecks {

    /** The options that write or create, which a {@link AioOpenOption#DIRECTORY} open cannot take. */
    private static final Set<AioOpenOption> NOT_WITH_DIRECTORY = EnumSet.of(AioOpenOption.WRITE,
            AioOpenOption.CREATE, AioOpenOption.CREATE_NEW, AioOpenOption.TRUNCATE, AioOpenOption.APPEND,
            AioOpenOption.DIRECT);

    private FileChecks() {
    }

    /**
     * Checks a path: non-null, without a NUL character.
     *
     * @param path the path
     * @param name the parameter's name, for the message
     * @return the path as the string handed to the kernel
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if it contains a NUL character
     */
    public static String path(Path path, String name) {
        Objects.requireNonNull(path, name);
        String text = path.toString();
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " contains a NUL character, which no Linux path can hold");
        }
        return text;
    }

    /**
     * Checks and copies the options of an open.
     *
     * @param options the options
     * @return an unmodifiable copy
     * @throws NullPointerException     if {@code options} or one of them is null
     * @throws IllegalArgumentException if {@link AioOpenOption#DIRECTORY} is combined with an option that writes
     *                                  or creates
     */
    public static Set<AioOpenOption> openOptions(Set<AioOpenOption> options) {
        Objects.requireNonNull(options, "options");
        Set<AioOpenOption> copy = options.isEmpty() ? EnumSet.noneOf(AioOpenOption.class) : EnumSet.copyOf(options);
        if (copy.contains(AioOpenOption.DIRECTORY)) {
            Set<AioOpenOption> conflicting = EnumSet.copyOf(copy);
            conflicting.retainAll(NOT_WITH_DIRECTORY);
            if (!conflicting.isEmpty()) {
                throw new IllegalArgumentException("a DIRECTORY open is read-only and creates nothing; drop "
                        + conflicting + " (create a directory with mkdir)");
            }
        }
        return Set.copyOf(copy);
    }

    /**
     * Checks the holder of a stat.
     *
     * @param into the holder
     * @return {@code into}
     * @throws NullPointerException  if null
     * @throws IllegalStateException if its arena is closed
     */
    public static AioStat stat(AioStat into) {
        Objects.requireNonNull(into, "into");
        if (!into.struct().scope().isAlive()) {
            throw new IllegalStateException("the AioStat's arena is already closed; keep it open until the "
                    + "completion has run");
        }
        return into;
    }

    /**
     * Checks a new file size.
     *
     * @param length the size
     * @return {@code length}
     * @throws IllegalArgumentException if negative
     */
    public static long length(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, not " + length);
        }
        return length;
    }

    /**
     * Checks a byte range to preallocate.
     *
     * @param offset the first byte
     * @param length the size
     * @throws IllegalArgumentException if {@code offset < 0} or {@code length <= 0}
     */
    public static void range(long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("fallocate needs offset >= 0 and length > 0, not offset " + offset
                    + ", length " + length);
        }
    }

    /**
     * Checks the mode of a new directory.
     *
     * @param mode the permission bits
     * @return {@code mode}
     * @throws IllegalArgumentException if it has bits beyond {@code 07777}
     */
    public static int mode(int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be permission bits within 07777, not 0"
                    + Integer.toOctalString(mode));
        }
        return mode;
    }
}
