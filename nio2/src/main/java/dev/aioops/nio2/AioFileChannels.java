package dev.aioops.nio2;

import dev.aioops.nio2.internal.FileOpener;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Set;

/**
 * Opens {@link AsynchronousFileChannel}s whose reads and writes are aioops operations: with io_uring, file I/O
 * without a thread pool.
 *
 * <p><b>Why a factory.</b> {@link AsynchronousFileChannel#open(Path, Set, java.util.concurrent.ExecutorService,
 * java.nio.file.attribute.FileAttribute[])} goes through the path's {@link java.nio.file.spi.FileSystemProvider},
 * not through {@link java.nio.channels.spi.AsynchronousChannelProvider}, so the JDK's provider property does not reach
 * it: code that opens files itself opens them here instead; the channel it gets is an ordinary
 * {@link AsynchronousFileChannel}.
 *
 * <p><b>Options</b>, as the JDK's: {@link StandardOpenOption#READ} (the default), {@code WRITE}, {@code CREATE}
 * (with {@code WRITE}), {@code CREATE_NEW}, {@code TRUNCATE_EXISTING} (with {@code WRITE}), {@code DSYNC},
 * {@code DELETE_ON_CLOSE} (the name is removed right after the open, as the JDK does on Linux), {@code SPARSE} (ignored, as on
 * Linux) and {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}. {@code APPEND} is refused as by the JDK; {@code SYNC}
 * is refused with {@link UnsupportedOperationException} (aioops opens with {@code O_DSYNC} at most); a created file
 * gets the adapter's default permissions (no {@code FileAttribute}s).
 *
 * <p><b>Threads.</b> The open waits on the calling thread (as the JDK's). It must not be the loop it waits for:
 * called on a member's loop, the group form opens on another member, and the single-instance form throws
 * {@link IllegalStateException}. The channel's handlers run on its instance's loop; its {@code size},
 * {@code truncate} and {@code force} wait likewise; file locks are not supported
 * ({@link UnsupportedOperationException}). Closing the instance under the channel fails its operations with
 * {@link java.nio.channels.AsynchronousCloseException}.
 */
public final class AioFileChannels {

    private AioFileChannels() {
    }

    /**
     * Opens a file on one aioops instance.
     *
     * @param loop    the instance whose loop runs the channel's handlers; the caller keeps owning it
     * @param path    the file
     * @param options how to open it, as {@link AsynchronousFileChannel#open(Path, OpenOption...)}
     * @return the channel; the caller closes it
     * @throws IOException                   as the JDK's open: {@link java.nio.file.NoSuchFileException},
     *                                       {@link java.nio.file.FileAlreadyExistsException},
     *                                       {@link java.nio.file.AccessDeniedException}, ...
     * @throws IllegalArgumentException      for an invalid combination of options
     * @throws UnsupportedOperationException for an option not supported
     * @throws IllegalStateException         if called on {@code loop}'s loop
     */
    public static AsynchronousFileChannel open(AioOperations loop, Path path, OpenOption... options)
            throws IOException {
        return open(loop, path, Set.of(options));
    }

    /**
     * Opens a file on one aioops instance.
     *
     * @param loop    the instance whose loop runs the channel's handlers; the caller keeps owning it
     * @param path    the file
     * @param options how to open it
     * @return the channel; the caller closes it
     * @throws IOException as {@link #open(AioOperations, Path, OpenOption...)}
     */
    public static AsynchronousFileChannel open(AioOperations loop, Path path, Set<? extends OpenOption> options)
            throws IOException {
        Objects.requireNonNull(loop, "loop");
        return FileOpener.open(loop, path, options);
    }

    /**
     * Opens a file on the next member of a group (round-robin), skipping the caller's own loop.
     *
     * @param loops   the group; the caller keeps owning it
     * @param path    the file
     * @param options how to open it
     * @return the channel; the caller closes it
     * @throws IOException as {@link #open(AioOperations, Path, OpenOption...)}
     */
    public static AsynchronousFileChannel open(AioGroup loops, Path path, OpenOption... options) throws IOException {
        return open(loops, path, Set.of(options));
    }

    /**
     * Opens a file on the next member of a group (round-robin), skipping the caller's own loop.
     *
     * @param loops   the group; the caller keeps owning it
     * @param path    the file
     * @param options how to open it
     * @return the channel; the caller closes it
     * @throws IOException as {@link #open(AioOperations, Path, OpenOption...)}
     */
    public static AsynchronousFileChannel open(AioGroup loops, Path path, Set<? extends OpenOption> options)
            throws IOException {
        Objects.requireNonNull(loops, "loops");
        AioOperations member = loops.next();
        for (int i = 1; i < loops.size() && member.inLoop(); i++) {
            member = loops.next();
        }
        return open(member, path, options);
    }
}
