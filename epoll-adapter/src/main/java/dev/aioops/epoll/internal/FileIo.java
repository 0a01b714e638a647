package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.internal.ErrnoMapping;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The blocking file work a pool thread performs for an {@link Op}: positional {@link FileChannel} I/O, as
 * {@code AsynchronousFileChannel} does on Linux.
 */
final class FileIo {

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} of {@code jdk.unsupported}, looked up once (named
     * directly, javac warns that it is internal and offers no way to acknowledge it); null where the JDK lacks it.
     */
    static final OpenOption DIRECT = directOption();

    private FileIo() {
    }

    private static OpenOption directOption() {
        try {
            Class<?> type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object constant : type.getEnumConstants()) {
                if (constant instanceof OpenOption option && ((Enum<?>) constant).name().equals("DIRECT")) {
                    return option;
                }
            }
            return null;
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            return null;
        }
    }

    /**
     * Performs a file operation. Pool thread.
     *
     * @param op a READ, WRITE, FSYNC or OPEN
     * @return its result, {@code -errno} on failure
     */
    static int perform(Op op) {
        try {
            return switch (op.kind) {
                case Op.READ -> read(op);
                case Op.WRITE -> write(op);
                case Op.FSYNC -> fsync(op);
                case Op.OPEN -> open(op);
                default -> -AioErrno.EINVAL;
            };
        } catch (Throwable e) {
            return result(e);
        }
    }

    private static int read(Op op) throws IOException {
        FileChannel channel = ((FileResource) op.resource).channel;
        ByteBuffer buffer = Buffers.view(op.buffer);
        int n = op.offset < 0 ? channel.read(buffer) : channel.read(buffer, op.offset);
        return Math.max(n, 0);
    }

    private static int write(Op op) throws IOException {
        FileResource file = (FileResource) op.resource;
        ByteBuffer buffer = Buffers.view(op.buffer);
        if (file.emulatedAppend) {
            // Writes of this handle serialise here, so that each lands at the end as with O_APPEND.
            synchronized (file) {
                return file.channel.write(buffer, file.channel.size());
            }
        }
        return op.offset < 0 ? file.channel.write(buffer) : file.channel.write(buffer, op.offset);
    }

    private static int fsync(Op op) throws IOException {
        ((FileResource) op.resource).channel.force(true);
        return 0;
    }

    private static int open(Op op) throws IOException {
        Set<AioOpenOption> o = op.options;
        boolean write = o.contains(AioOpenOption.WRITE);
        boolean read = o.contains(AioOpenOption.READ) || !write;
        boolean append = o.contains(AioOpenOption.APPEND) && write;
        Set<OpenOption> options = new HashSet<>();
        if (read) {
            options.add(StandardOpenOption.READ);
        }
        if (write) {
            options.add(StandardOpenOption.WRITE);
        }
        if (append && !read) {
            options.add(StandardOpenOption.APPEND);
        }
        if (o.contains(AioOpenOption.CREATE)) {
            options.add(StandardOpenOption.CREATE);
        }
        if (o.contains(AioOpenOption.CREATE_NEW)) {
            options.add(StandardOpenOption.CREATE_NEW);
        }
        if (o.contains(AioOpenOption.TRUNCATE)) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (o.contains(AioOpenOption.DSYNC)) {
            options.add(StandardOpenOption.DSYNC);
        }
        if (o.contains(AioOpenOption.NOFOLLOW)) {
            options.add(LinkOption.NOFOLLOW_LINKS);
        }
        if (o.contains(AioOpenOption.DIRECT)) {
            if (DIRECT == null) {
                return -AioErrno.EOPNOTSUPP;
            }
            options.add(DIRECT);
        }
        if (!write && (o.contains(AioOpenOption.CREATE) || o.contains(AioOpenOption.CREATE_NEW))) {
            // FileChannel ignores CREATE without WRITE; open(2) creates the file with O_RDONLY too.
            createReadOnly(op.path, o.contains(AioOpenOption.CREATE_NEW));
        }
        FileChannel channel = FileChannel.open(op.path, options);
        op.opened = channel;
        op.resource = new FileResource(channel, read, write, append && read);
        return 0;
    }

    private static void createReadOnly(Path path, boolean exclusive) throws IOException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            if (exclusive) {
                throw e;
            }
        }
    }

    /**
     * The errno of a file failure; the JDK's {@code O_DIRECT} alignment complaints are {@code EINVAL}, as the
     * kernel's would be.
     */
    static int result(Throwable e) {
        String message = e.getMessage();
        if (e instanceof IOException && message != null) {
            String m = message.toLowerCase(Locale.ROOT);
            if (m.contains("block size") || m.contains("not aligned") || m.contains("alignment")) {
                return -AioErrno.EINVAL;
            }
        }
        if (e instanceof IllegalArgumentException) {
            return -AioErrno.EINVAL;
        }
        return ErrnoMapping.result(e);
    }
}
