package dev.aioops.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The metadata of a file as a stat by path or by handle reports it: a caller-owned,
 * reusable holder of Linux's {@code struct statx}, which every adapter fills (io_uring with
 * {@code IORING_OP_STATX}, the others with {@code statx(2)} on a file thread), so each field means what
 * {@code statx(2)} says on every adapter.
 *
 * <p><b>Ownership.</b> From submission until the completion runs it belongs to the adapter: the caller must not
 * read it or close its arena. After a completion with result 0 its getters describe the file; after a failure
 * their values are unspecified.
 *
 * <p><b>Threads.</b> Not thread-safe; read it on the loop in the completion, or after handing it over with the
 * usual happens-before.
 */
public final class AioStat {

    /** The size of {@code struct statx}. */
    public static final long STRUCT_SIZE = 256;

    private static final long NLINK = 16;
    private static final long UID = 20;
    private static final long GID = 24;
    private static final long MODE = 28;
    private static final long INO = 32;
    private static final long SIZE = 40;
    private static final long BLOCKS = 48;
    private static final long ATIME = 64;
    private static final long CTIME = 96;
    private static final long MTIME = 112;
    private static final long DEV_MAJOR = 136;
    private static final long DEV_MINOR = 140;

    private static final int S_IFMT = 0170000;

    /** The kind of a file, from the type bits of its mode. */
    public enum FileType {
        /** {@code S_IFREG}. */
        REGULAR,
        /** {@code S_IFDIR}. */
        DIRECTORY,
        /** {@code S_IFLNK}: seen only when the last component is not followed. */
        SYMBOLIC_LINK,
        /** {@code S_IFIFO}. */
        FIFO,
        /** {@code S_IFSOCK}. */
        SOCKET,
        /** {@code S_IFCHR}. */
        CHARACTER_DEVICE,
        /** {@code S_IFBLK}. */
        BLOCK_DEVICE,
        /** Type bits Linux does not define. */
        OTHER
    }

    private final MemorySegment statx;

    private AioStat(MemorySegment statx) {
        this.statx = statx;
    }

    /**
     * Allocates a holder.
     *
     * @param arena owns its {@value #STRUCT_SIZE} bytes of native memory; must outlive every operation it is
     *              given to
     * @return the holder, zeroed
     * @throws NullPointerException if {@code arena} is null
     */
    public static AioStat allocate(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        return new AioStat(arena.allocate(STRUCT_SIZE, 8));
    }

    /**
     * For adapters: the {@code struct statx} the kernel writes.
     *
     * @return its {@value #STRUCT_SIZE} bytes
     */
    public MemorySegment struct() {
        return statx;
    }

    /** {@return the size in bytes ({@code stx_size})} */
    public long size() {
        return statx.get(JAVA_LONG, SIZE);
    }

    /** {@return the type and permission bits ({@code stx_mode})} */
    public int mode() {
        return Short.toUnsignedInt(statx.get(JAVA_SHORT, MODE));
    }

    /** {@return the permission bits, {@code mode() & 07777}} */
    public int permissions() {
        return mode() & 07777;
    }

    /** {@return the kind of file, from {@link #mode()}} */
    public FileType type() {
        return switch (mode() & S_IFMT) {
            case 0100000 -> FileType.REGULAR;
            case 0040000 -> FileType.DIRECTORY;
            case 0120000 -> FileType.SYMBOLIC_LINK;
            case 0010000 -> FileType.FIFO;
            case 0140000 -> FileType.SOCKET;
            case 0020000 -> FileType.CHARACTER_DEVICE;
            case 0060000 -> FileType.BLOCK_DEVICE;
            default -> FileType.OTHER;
        };
    }

    /** {@return whether it is a regular file} */
    public boolean isRegularFile() {
        return type() == FileType.REGULAR;
    }

    /** {@return whether it is a directory} */
    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    /** {@return the inode number ({@code stx_ino})} */
    public long inode() {
        return statx.get(JAVA_LONG, INO);
    }

    /** {@return the device holding the file, as {@code makedev(stx_dev_major, stx_dev_minor)}} */
    public long device() {
        long major = Integer.toUnsignedLong(statx.get(JAVA_INT, DEV_MAJOR));
        long minor = Integer.toUnsignedLong(statx.get(JAVA_INT, DEV_MINOR));
        // glibc's makedev(3) bit layout, so the value equals st_dev of stat(2).
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** {@return the number of hard links ({@code stx_nlink})} */
    public long links() {
        return Integer.toUnsignedLong(statx.get(JAVA_INT, NLINK));
    }

    /** {@return the owner's user id ({@code stx_uid})} */
    public int uid() {
        return statx.get(JAVA_INT, UID);
    }

    /** {@return the group id ({@code stx_gid})} */
    public int gid() {
        return statx.get(JAVA_INT, GID);
    }

    /** {@return the 512-byte blocks allocated ({@code stx_blocks})} */
    public long blocks() {
        return statx.get(JAVA_LONG, BLOCKS);
    }

    /** {@return the seconds part of the last data modification ({@code stx_mtime.tv_sec})} */
    public long modifiedSeconds() {
        return statx.get(JAVA_LONG, MTIME);
    }

    /** {@return the nanoseconds part of the last data modification, 0 to 999,999,999} */
    public int modifiedNanos() {
        return statx.get(JAVA_INT, MTIME + 8);
    }

    /** {@return the seconds part of the last status change ({@code stx_ctime.tv_sec})} */
    public long changedSeconds() {
        return statx.get(JAVA_LONG, CTIME);
    }

    /** {@return the nanoseconds part of the last status change} */
    public int changedNanos() {
        return statx.get(JAVA_INT, CTIME + 8);
    }

    /** {@return the seconds part of the last access ({@code stx_atime.tv_sec})} */
    public long accessedSeconds() {
        return statx.get(JAVA_LONG, ATIME);
    }

    /** {@return the nanoseconds part of the last access} */
    public int accessedNanos() {
        return statx.get(JAVA_INT, ATIME + 8);
    }

    /**
     * The last data modification as an {@link Instant} (allocates; the seconds and nanoseconds getters do not).
     *
     * @return the modification time
     */
    public Instant lastModified() {
        return Instant.ofEpochSecond(modifiedSeconds(), modifiedNanos());
    }

    @Override
    public String toString() {
        return "AioStat[" + type() + ", size=" + size() + ", mode=0" + Integer.toOctalString(permissions())
                + ", inode=" + inode() + ", links=" + links() + ", mtime=" + lastModified() + "]";
    }
}
