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
    NOFOLLOW
}
