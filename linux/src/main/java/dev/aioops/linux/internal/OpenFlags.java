package dev.aioops.linux.internal;

import dev.aioops.spi.AioOpenOption;

import java.util.Set;

/**
 * {@link AioOpenOption}s as {@code open(2)} flags and {@code openat2(2)} resolution flags; always
 * {@code O_CLOEXEC}. The flags whose values differ between architectures come from {@link ArchOpenFlags}.
 * Stateless.
 */
public final class OpenFlags {

    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0200;
    /** {@code O_TRUNC}. */
    public static final int O_TRUNC = 01000;
    /** {@code O_APPEND}. */
    public static final int O_APPEND = 02000;
    /** {@code O_DSYNC}. */
    public static final int O_DSYNC = 010000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;

    /** {@code RESOLVE_NO_SYMLINKS}. */
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    /** {@code RESOLVE_BENEATH}. */
    public static final long RESOLVE_BENEATH = 0x08;

    /** The mode of a created file before the umask, as {@code java.nio} uses. */
    public static final int CREATE_MODE = 0666;

    private OpenFlags() {
    }

    /**
     * The flags for a set of options: read-only unless {@code WRITE} or {@code APPEND}; {@code O_TRUNC} only when
     * writing (Linux would truncate a read-only open too).
     *
     * @param options the options of an open
     * @return the {@code O_*} flags
     * @throws UnsupportedOperationException on an architecture whose flag values are not known
     */
    public static int of(Set<AioOpenOption> options) {
        return of(options, ArchOpenFlags.running());
    }

    /**
     * The flags for a set of options on a given architecture.
     *
     * @param options the options of an open
     * @param arch    the architecture's values
     * @return the {@code O_*} flags
     */
    public static int of(Set<AioOpenOption> options, ArchOpenFlags arch) {
        boolean write = options.contains(AioOpenOption.WRITE) || options.contains(AioOpenOption.APPEND);
        boolean read = options.contains(AioOpenOption.READ) || !write;
        int flags = O_CLOEXEC | (read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY);
        if (options.contains(AioOpenOption.CREATE_NEW)) {
            flags |= O_CREAT | O_EXCL;
        } else if (options.contains(AioOpenOption.CREATE)) {
            flags |= O_CREAT;
        }
        if (options.contains(AioOpenOption.TRUNCATE) && write) {
            flags |= O_TRUNC;
        }
        if (options.contains(AioOpenOption.APPEND)) {
            flags |= O_APPEND;
        }
        if (options.contains(AioOpenOption.DIRECT)) {
            flags |= arch.oDirect();
        }
        if (options.contains(AioOpenOption.DSYNC)) {
            flags |= O_DSYNC;
        }
        if (options.contains(AioOpenOption.NOFOLLOW)) {
            flags |= arch.oNofollow();
        }
        if (options.contains(AioOpenOption.DIRECTORY)) {
            flags |= arch.oDirectory();
        }
        return flags;
    }

    /**
     * The {@code RESOLVE_*} flags of a set of options.
     *
     * @param options the options of an open
     * @return 0 when the open needs no {@code openat2}
     */
    public static long resolve(Set<AioOpenOption> options) {
        long resolve = 0;
        if (options.contains(AioOpenOption.BENEATH)) {
            resolve |= RESOLVE_BENEATH;
        }
        if (options.contains(AioOpenOption.NO_SYMLINKS)) {
            resolve |= RESOLVE_NO_SYMLINKS;
        }
        return resolve;
    }
}
