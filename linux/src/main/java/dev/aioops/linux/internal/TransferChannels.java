package dev.aioops.linux.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.internal.ErrnoMapping;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A {@link FileChannel} on the file behind a raw descriptor, for the zero-copy send of the adapters built on Java
 * channels: {@code FileChannel.transferTo} (the JDK's {@code sendfile(2)}) and Netty's {@code DefaultFileRegion} need
 * a {@code FileChannel}, which the JDK cannot make from a descriptor number. The channel is a second, read-only
 * descriptor of the same file, opened through {@code /proc/self/fd/N}: it reads what the handle's descriptor reads,
 * also once the file is unlinked or renamed, and closing either leaves the other open.
 *
 * <p>Before it opens one it checks what the contract promises on every adapter, with the descriptor's own state
 * rather than the new one's: a descriptor not opened for reading gives {@code EBADF} (reopening it would read
 * anyway), one that is not a regular file {@code EINVAL} ({@code ESPIPE} for a FIFO, which reopening would also
 * block on), as {@code splice(2)} and {@code sendfile(2)} say. File threads only: the calls may wait for the disk.
 */
public final class TransferChannels {

    private static final int F_GETFL = 3;
    private static final int O_ACCMODE = 3;
    private static final int O_WRONLY = 1;
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private static final class Handles {
        static final MethodHandle FCNTL = Syscalls.downcall("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2),
                Syscalls.CAPTURE_ERRNO);
    }

    private TransferChannels() {
    }

    /**
     * Opens a read-only channel on the regular file behind {@code fd}. The caller owns it and closes it.
     *
     * @param fd an open descriptor, kept open by the caller during the call
     * @return the channel
     * @throws AioException with {@code EBADF} (not open for reading), {@code EINVAL} (not a regular file),
     *                      {@code ESPIPE} (a FIFO), {@code EOPNOTSUPP} (no {@code /proc} mounted), or the errno of
     *                      the reopening
     */
    public static FileChannel open(int fd) throws AioException {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0) {
            throw new AioException(-flags, "fcntl(" + fd + ", F_GETFL)");
        }
        if ((flags & O_ACCMODE) == O_WRONLY) {
            throw new AioException(AioErrno.EBADF, "sendFile of a file not opened for reading");
        }
        try (Arena arena = Arena.ofConfined()) {
            AioStat stat = AioStat.allocate(arena);
            int r = FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH, stat.struct());
            if (r < 0) {
                throw new AioException(-r, "statx(" + fd + ")");
            }
            switch (stat.type()) {
                case REGULAR -> {
                }
                case FIFO -> throw new AioException(AioErrno.ESPIPE, "sendFile of a FIFO");
                default -> throw new AioException(AioErrno.EINVAL, "sendFile of a " + stat.type());
            }
        }
        try {
            return FileChannel.open(PROC_FDS.resolve(Integer.toString(fd)), StandardOpenOption.READ);
        } catch (IOException e) {
            if (!Files.isDirectory(PROC_FDS)) {
                throw new AioException(AioErrno.EOPNOTSUPP, "sendFile needs /proc mounted to reopen a descriptor");
            }
            throw new AioException(ErrnoMapping.errno(e), "reopening descriptor " + fd + " for sendFile");
        }
    }

    private static int fcntl(int fd, int cmd) {
        MemorySegment state = Syscalls.state();
        try {
            return Syscalls.result((int) Handles.FCNTL.invokeExact(state, fd, cmd), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }
}
