package dev.aioops.spi;


/**
 * Linux {@code errno} values as carried, negated, by a failed {@link AioCompletion}: {@code result == -EBADF}.
 * Every adapter uses these numbers, whatever it is built on (the Java-channel adapters map their exceptions
 * onto them). The numbering is the one of {@code asm-generic/errno-base.h} and {@code asm-generic/errno.h},
 * which x86-64 and arm64 share.
 *
 * <p>All methods are static, allocation-free except {@link #exception}, and safe on any thread.
 */
public final class AioErrno {

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Bad file descriptor: the handle is unknown, closed, or not open for this kind of access. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Invalid cross-device link; also a confined open that would leave its directory. */
    public static final int EXDEV = 18;
    /** No such device; also a preallocation of a descriptor that is not a file. */
    public static final int ENODEV = 19;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in system. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** File too large. */
    public static final int EFBIG = 27;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Illegal seek: a position was given for a stream. */
    public static final int ESPIPE = 29;
    /** Read-only file system. */
    public static final int EROFS = 30;
    /** Broken pipe: the peer has closed the connection. */
    public static final int EPIPE = 32;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Directory not empty. */
    public static final int ENOTEMPTY = 39;
    /** Too many levels of symbolic links (also: a symbolic link refused by {@link AioOpenOption#NOFOLLOW}). */
    public static final int ELOOP = 40;
    /** Timer expired. */
    public static final int ETIME = 62;
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK = 88;
    /** Destination address required: a datagram sent with no target on a socket that is not connected. */
    public static final int EDESTADDRREQ = 89;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Protocol not available: a socket option that does not apply to this socket. */
    public static final int ENOPROTOOPT = 92;
    /** Operation not supported by this adapter, kernel or file. */
    public static final int EOPNOTSUPP = 95;
    /** Address family not supported by protocol: an IPv6 address for an IPv4 socket. */
    public static final int EAFNOSUPPORT = 97;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Software caused connection abort. */
    public static final int ECONNABORTED = 103;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Transport endpoint is already connected. */
    public static final int EISCONN = 106;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused: nothing listens on that port. */
    public static final int ECONNREFUSED = 111;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;
    /** Operation already in progress. */
    public static final int EALREADY = 114;
    /** Operation now in progress. */
    public static final int EINPROGRESS = 115;
    /** Operation canceled: by {@link AioOperations#cancel}, by closing its handle, or by closing the instance. */
    public static final int ECANCELED = 125;

    private static final String[] NAMES = new String[126];
    private static final String[] DESCRIPTIONS = new String[126];

    static {
        describe(EPERM, "EPERM", "Operation not permitted");
        describe(ENOENT, "ENOENT", "No such file or directory");
        describe(EINTR, "EINTR", "Interrupted system call");
        describe(EIO, "EIO", "Input/output error");
        describe(EBADF, "EBADF", "Bad file descriptor");
        describe(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        describe(ENOMEM, "ENOMEM", "Cannot allocate memory");
        describe(EACCES, "EACCES", "Permission denied");
        describe(EFAULT, "EFAULT", "Bad address");
        describe(EBUSY, "EBUSY", "Device or resource busy");
        describe(EEXIST, "EEXIST", "File exists");
        describe(EXDEV, "EXDEV", "Invalid cross-device link");
        describe(ENODEV, "ENODEV", "No such device");
        describe(ENOTDIR, "ENOTDIR", "Not a directory");
        describe(EISDIR, "EISDIR", "Is a directory");
        describe(EINVAL, "EINVAL", "Invalid argument");
        describe(ENFILE, "ENFILE", "Too many open files in system");
        describe(EMFILE, "EMFILE", "Too many open files");
        describe(EFBIG, "EFBIG", "File too large");
        describe(ENOSPC, "ENOSPC", "No space left on device");
        describe(ESPIPE, "ESPIPE", "Illegal seek");
        describe(EROFS, "EROFS", "Read-only file system");
        describe(EPIPE, "EPIPE", "Broken pipe");
        describe(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        describe(ENOSYS, "ENOSYS", "Function not implemented");
        describe(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        describe(ELOOP, "ELOOP", "Too many levels of symbolic links");
        describe(ETIME, "ETIME", "Timer expired");
        describe(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        describe(EDESTADDRREQ, "EDESTADDRREQ", "Destination address required");
        describe(EMSGSIZE, "EMSGSIZE", "Message too long");
        describe(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
        describe(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        describe(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
        describe(EADDRINUSE, "EADDRINUSE", "Address already in use");
        describe(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
        describe(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        describe(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        describe(ECONNRESET, "ECONNRESET", "Connection reset by peer");
        describe(ENOBUFS, "ENOBUFS", "No buffer space available");
        describe(EISCONN, "EISCONN", "Transport endpoint is already connected");
        describe(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
        describe(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        describe(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        describe(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        describe(EALREADY, "EALREADY", "Operation already in progress");
        describe(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
        describe(ECANCELED, "ECANCELED", "Operation canceled");
    }

    private AioErrno() {
    }

    private static void describe(int errno, String name, String description) {
        NAMES[errno] = name;
        DESCRIPTIONS[errno] = description;
    }

    /**
     * The symbolic name of an errno value.
     *
     * @param errno an errno value, positive ({@code EBADF}) or negated as in a result ({@code -EBADF})
     * @return the name, such as {@code "EBADF"}, or {@code "errno 77"} for a value this class does not name
     */
    public static String name(int errno) {
        int e = Math.abs(errno);
        String name = e < NAMES.length ? NAMES[e] : null;
        return name != null ? name : "errno " + e;
    }

    /**
     * The text {@code strerror(3)} gives for an errno value.
     *
     * @param errno an errno value, positive or negated
     * @return the description, such as {@code "Bad file descriptor"}, or {@code "Unknown error 77"}
     */
    public static String description(int errno) {
        int e = Math.abs(errno);
        String text = e < DESCRIPTIONS.length ? DESCRIPTIONS[e] : null;
        return text != null ? text : "Unknown error " + e;
    }

    /**
     * Whether a completion result is a failure.
     *
     * @param result a completion result
     * @return {@code true} when {@code result < 0}
     */
    public static boolean isError(int result) {
        return result < 0;
    }

    /**
     * An exception for a failed result, for callers that prefer exceptions to result codes.
     *
     * @param result  a negative completion result ({@code -errno})
     * @param context what was being done, for the message, such as {@code "read from /tmp/data"}; may be null
     * @return an {@link AioException} whose message reads {@code "read from /tmp/data: No such file or directory
     *         (ENOENT)"}
     * @throws IllegalArgumentException if {@code result} is not negative
     */
    public static AioException exception(int result, String context) {
        if (result >= 0) {
            throw new IllegalArgumentException("result " + result + " is a success, not -errno");
        }
        return new AioException(-result, context);
    }

    /**
     * Throws the exception of {@link #exception} when {@code result} is a failure, else returns it.
     *
     * @param result  a completion result
     * @param context what was being done, for the message; may be null
     * @return {@code result} when it is not negative
     * @throws AioException when {@code result < 0}
     */
    public static int check(int result, String context) throws AioException {
        if (result < 0) {
            throw exception(result, context);
        }
        return result;
    }
}
