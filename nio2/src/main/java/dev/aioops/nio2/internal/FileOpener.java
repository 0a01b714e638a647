package dev.aioops.nio2.internal;

import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Opens an {@link AioFileChannel}: the JDK's open options as aioops ones, checked as the JDK checks them. */
public final class FileOpener {

    private FileOpener() {
    }

    /**
     * Opens {@code path} on {@code ops}, waiting for the open; see {@code dev.aioops.nio2.AioFileChannels}.
     *
     * @param ops     the instance the channel runs on
     * @param path    the file
     * @param options the JDK's open options
     * @return the channel
     * @throws IOException as the JDK's open
     */
    public static AsynchronousFileChannel open(AioOperations ops, Path path, Set<? extends OpenOption> options)
            throws IOException {
        Objects.requireNonNull(path, "path");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new ProviderMismatchException("aioops opens files of the default file system only");
        }
        boolean read = false;
        boolean write = false;
        boolean deleteOnClose = false;
        EnumSet<AioOpenOption> aio = EnumSet.noneOf(AioOpenOption.class);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                throw new UnsupportedOperationException("APPEND not allowed");
            } else if (o == StandardOpenOption.CREATE) {
                aio.add(AioOpenOption.CREATE);
            } else if (o == StandardOpenOption.CREATE_NEW) {
                aio.add(AioOpenOption.CREATE_NEW);
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                aio.add(AioOpenOption.TRUNCATE);
            } else if (o == StandardOpenOption.DSYNC) {
                aio.add(AioOpenOption.DSYNC);
            } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
                deleteOnClose = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                aio.add(AioOpenOption.NOFOLLOW);
            } else if (o == StandardOpenOption.SYNC) {
                throw new UnsupportedOperationException("SYNC is not supported by aioops file channels (aioops "
                        + "opens with O_DSYNC at most): use DSYNC, and force(true) where metadata must be durable");
            } else if (o != StandardOpenOption.SPARSE) {
                throw new UnsupportedOperationException(Objects.requireNonNull(o, "option") + " not supported");
            }
        }
        if (!write) {
            // As the JDK: creating and truncating take effect only for writing.
            aio.remove(AioOpenOption.CREATE);
            aio.remove(AioOpenOption.CREATE_NEW);
            aio.remove(AioOpenOption.TRUNCATE);
            read = true;
        }
        if (read) {
            aio.add(AioOpenOption.READ);
        }
        if (write) {
            aio.add(AioOpenOption.WRITE);
        }
        Await.refuseOnLoop(ops, "AioFileChannels.open");
        int handle = Await.call(ops, "AioFileChannels.open", (a, c) -> ops.open(path, aio, a, c));
        if (handle < 0) {
            throw Failures.open(handle, path.toString());
        }
        if (deleteOnClose) {
            // As the JDK does on Linux: the name goes at once, the file lives until the channel is closed.
            int r = Await.call(ops, "AioFileChannels.open",
                    (a, c) -> ops.unlink(AioFileOperations.WORKING_DIRECTORY, path, false, a, c));
            if (r < 0) {
                ops.close(handle, null, (x, y) -> { });
                throw Failures.open(r, path.toString());
            }
        }
        return new AioFileChannel(ops, handle, path, read, write);
    }
}
