package dev.aioops.spi.internal;

import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The argument checks every adapter makes before accepting a submission, so that misuse throws the same
 * exception with the same message whatever the adapter.
 */
public final class Checks {

    /** The size of {@code sun_path} in {@code struct sockaddr_un} ({@code sys/un.h}), its NUL included. */
    public static final int UNIX_PATH_MAX = 108;

    private Checks() {
    }

    /**
     * Checks an I/O buffer: non-null, native, alive.
     *
     * @param buffer the buffer of a read or write
     * @return {@code buffer}
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if it is a heap segment
     * @throws IllegalStateException    if its arena is closed
     */
    public static MemorySegment buffer(MemorySegment buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("buffer must be native memory (Arena.allocate or "
                    + "AioOperations.buffers()), not a heap segment: the kernel cannot write into the Java heap");
        }
        if (!buffer.scope().isAlive()) {
            throw new IllegalStateException("buffer's arena is already closed; keep it open until the completion "
                    + "has run");
        }
        return buffer;
    }

    /**
     * Checks the destination of a read: an I/O {@linkplain #buffer buffer} that may be written. The kernel
     * ignores the JDK's read-only views, so a read into one would silently change memory the caller was
     * promised stays unchanged.
     *
     * @param buffer the buffer a read fills
     * @return {@code buffer}
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if it is a heap segment or a read-only view
     * @throws IllegalStateException    if its arena is closed
     */
    public static MemorySegment readBuffer(MemorySegment buffer) {
        buffer(buffer);
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("a read needs a writable buffer, not a read-only view "
                    + "(MemorySegment.asReadOnly()): pass the segment the view was made from");
        }
        return buffer;
    }

    /**
     * Checks a read or write offset.
     *
     * @param offset a file position or {@link AioOperations#STREAM}
     * @return {@code offset}
     * @throws IllegalArgumentException if below -1
     */
    public static long offset(long offset) {
        if (offset < AioOperations.STREAM) {
            throw new IllegalArgumentException("offset must be a file position >= 0 or AioOperations.STREAM (-1), not "
                    + offset);
        }
        return offset;
    }

    /**
     * Checks a completion callback.
     *
     * @param completion the callback
     * @param <T>        its type
     * @return {@code completion}
     * @throws NullPointerException if null
     */
    public static <T> T completion(T completion) {
        return Objects.requireNonNull(completion, "completion");
    }

    /**
     * Checks a socket address for listen or connect: a resolved {@link InetSocketAddress} or a
     * {@link UnixDomainSocketAddress} whose path fits {@code sun_path}.
     *
     * @param address the address
     * @return {@code address}
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if unresolved, of another type, or a Unix path that is empty or does not
     *                                  fit {@code sun_path}
     */
    public static SocketAddress address(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                throw new IllegalArgumentException("address " + address + " is unresolved; resolve it (InetAddress) "
                        + "before submitting: no name lookup happens on the loop");
            }
        } else if (address instanceof UnixDomainSocketAddress unix) {
            unixPath(unix);
        } else {
            throw new IllegalArgumentException("address must be an InetSocketAddress or a UnixDomainSocketAddress, "
                    + "not a " + address.getClass().getName());
        }
        return address;
    }

    /**
     * The bytes of a Unix socket's path as the kernel gets them in {@code sun_path}: UTF-8, without the NUL.
     *
     * @param address a Unix domain socket address
     * @return its path's bytes, 1 to {@value #UNIX_PATH_MAX} - 1 of them
     * @throws IllegalArgumentException if the path is empty or does not fit (a {@code Path} never holds a NUL)
     */
    public static byte[] unixPath(UnixDomainSocketAddress address) {
        String path = address.getPath().toString();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a Unix domain socket address needs a path; the empty path names an "
                    + "unbound socket, which cannot be listened on or connected to");
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path " + path + " is " + bytes.length + " bytes; "
                    + "sun_path holds " + (UNIX_PATH_MAX - 1) + " and a NUL: choose a shorter path (a short "
                    + "directory, or a path relative to the working directory)");
        }
        return bytes;
    }

    /**
     * Checks a listen backlog.
     *
     * @param backlog the backlog
     * @return {@code backlog}
     * @throws IllegalArgumentException if below 1
     */
    public static int backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, not " + backlog);
        }
        return backlog;
    }

    /**
     * Checks a timeout delay.
     *
     * @param nanos the delay
     * @return {@code nanos}
     * @throws IllegalArgumentException if negative
     */
    public static long timeout(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 nanoseconds, not " + nanos);
        }
        return nanos;
    }

    /**
     * Checks an eventfd initial value.
     *
     * @param initialValue the value
     * @return {@code initialValue}
     * @throws IllegalArgumentException if outside 0 to {@code 0xffffffff}, the range of {@code eventfd(2)}
     */
    public static long eventfdInitialValue(long initialValue) {
        if (initialValue < 0 || initialValue > 0xffff_ffffL) {
            throw new IllegalArgumentException("eventfd initial value must be from 0 to 0xffffffff, not "
                    + initialValue);
        }
        return initialValue;
    }

    /**
     * Checks an eventfd signal amount.
     *
     * @param n the amount
     * @return {@code n}
     * @throws IllegalArgumentException if below 1
     */
    public static long signalAmount(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("signal amount must be >= 1, not " + n);
        }
        return n;
    }

    /**
     * Throws the exception for a submission to a closed instance.
     *
     * @param adapter the adapter name, for the message
     * @return never returns normally; declared so that callers can write {@code throw Checks.closed(..)}
     */
    public static IllegalStateException closed(String adapter) {
        return new IllegalStateException("this " + adapter + " AioOperations is closed; open a new one to submit "
                + "more work");
    }
}
