package dev.aioops.uring.ring;

import dev.aioops.spi.AioOpenOption;

import java.util.Set;

/**
 * {@link AioOpenOption}s as {@code open(2)} flags; always {@code O_CLOEXEC}. The flags whose values differ between
 * architectures come from the running architecture's {@link ArchOpenFlags}. Stateless.
 */
public final class OpenFlags {

    private OpenFlags() {
    }

    /**
     * The flags for a set of options: read-only unless {@code WRITE} or {@code APPEND}; {@code O_TRUNC} only when
     * writing (Linux would truncate a read-only open too).
     *
     * @param options the options of {@code AioOperations.open}
     * @return the {@code O_*} flags
     * @throws UnsupportedOperationException on an architecture whose flag values are not known
     */
    public static int of(Set<AioOpenOption> options) {
        return of(options, ArchOpenFlags.running());
    }

    /**
     * The flags for a set of options on a given architecture (so that every architecture's table can be checked
     * on any machine).
     *
     * @param options the options of {@code AioOperations.open}
     * @param arch    the architecture's values
     * @return the {@code O_*} flags
     */
    public static int of(Set<AioOpenOption> options, ArchOpenFlags arch) {
        boolean write = options.contains(AioOpenOption.WRITE) || options.contains(AioOpenOption.APPEND);
        boolean read = options.contains(AioOpenOption.READ) || !write;
        int flags = UringLayout.O_CLOEXEC | (read && write ? UringLayout.O_RDWR
                : write ? UringLayout.O_WRONLY : UringLayout.O_RDONLY);
        if (options.contains(AioOpenOption.CREATE_NEW)) {
            flags |= UringLayout.O_CREAT | UringLayout.O_EXCL;
        } else if (options.contains(AioOpenOption.CREATE)) {
            flags |= UringLayout.O_CREAT;
        }
        if (options.contains(AioOpenOption.TRUNCATE) && write) {
            flags |= UringLayout.O_TRUNC;
        }
        if (options.contains(AioOpenOption.APPEND)) {
            flags |= UringLayout.O_APPEND;
        }
        if (options.contains(AioOpenOption.DIRECT)) {
            flags |= arch.oDirect();
        }
        if (options.contains(AioOpenOption.DSYNC)) {
            flags |= UringLayout.O_DSYNC;
        }
        if (options.contains(AioOpenOption.NOFOLLOW)) {
            flags |= arch.oNofollow();
        }
        return flags;
    }
}
