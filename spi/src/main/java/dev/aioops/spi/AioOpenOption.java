package dev.aioops.spi;

/**
 * How {@link AioOperations#open} opens a file; the Linux {@code open(2)} flags they stand for are named on
 * each constant. With neither {@link #READ} nor {@link #WRITE}, a file is opened for reading.
 */
public enum AioOpenOption {

    /** Open for reading ({@code O_RDONLY}, or {@code O_RDWR} together with {@link #WRITE}). */
    READ,

    /** Open for writing ({@code O_WRONLY}, or {@code O_RDWR} together with {@link #READ}). */
    WRITE,

    /** Create the file if it does not exist ({@code O_CREAT}, mode {@code 0666} less the umask). */
    CREATE,

    /** Create the file and fail with {@code -EEXIST} if it exists ({@code O_CREAT | O_EXCL}). */
    CREATE_NEW,

    /** Truncate an existing file to length 0 when opened for writing ({@code O_TRUNC}). */
    TRUNCATE,

    /** Every write goes to the end of the file, whatever its offset ({@code O_APPEND}). */
    APPEND,

    /**
     * Bypass the page cache ({@code O_DIRECT}): buffers, offsets and lengths must be aligned to the device's
     * logical block size. Completes with {@code -EOPNOTSUPP} on an adapter without {@link AioCapability#DIRECT_IO},
     * and with {@code -EINVAL} where the file system refuses it.
     */
    DIRECT,

    /** Writes complete once the data (not all metadata) is on stable storage ({@code O_DSYNC}). */
    DSYNC,

    /** Fail with {@code -ELOOP} if the last path component is a symbolic link ({@code O_NOFOLLOW}). */
    NOFOLLOW,

    /**
     * Open a directory, to pass as the {@code directory} of the {@link AioFileOperations} methods
     * ({@code O_DIRECTORY}, read-only; {@code -ENOTDIR} if it is not one). Cannot be combined with
     * {@link #WRITE}, {@link #CREATE}, {@link #CREATE_NEW}, {@link #TRUNCATE}, {@link #APPEND} or {@link #DIRECT}.
     */
    DIRECTORY,

    /**
     * Confine the resolution of the whole path beneath the directory it is relative to ({@code openat2(2)} with
     * {@code RESOLVE_BENEATH}): {@code ..} above it, an absolute path, a symbolic link that leads outside and every
     * {@code /proc} magic link fail with {@code -EXDEV}, decided by the kernel during the open itself. (Linux
     * refuses magic links in a confined lookup anyway; {@code RESOLVE_NO_MAGICLINKS} would only turn that
     * {@code -EXDEV} into {@code -ELOOP}, so it is not added.) Needs {@link AioCapability#CONFINED_OPEN}; without
     * it the open completes with {@code -EOPNOTSUPP}.
     */
    BENEATH,

    /**
     * Refuse every symbolic link in the path, not only the last component ({@code RESOLVE_NO_SYMLINKS}); the open
     * fails with {@code -ELOOP}. Needs {@link AioCapability#CONFINED_OPEN}, as {@link #BENEATH}.
     */
    NO_SYMLINKS
}
