package dev.aioops.spi;

/**
 * A socket option that {@link AioSocketOperations#setSocketOption} sets and {@link AioSocketOperations#socketOption} reads,
 * with an {@code int} value. Boolean options take and give 1 or 0. The Linux level and name are on each constant.
 *
 * <p>On a listening socket only the options a listener has of its own apply: {@link #SO_RCVBUF},
 * {@link #SO_REUSEADDR}, {@link #SO_REUSEPORT} and the keep-alive timers ({@link #appliesToListener()}). The
 * others ({@link #TCP_NODELAY}, {@link #SO_KEEPALIVE}, {@link #SO_SNDBUF}, {@link #SO_LINGER}) concern a
 * connection, which each adapter sets up itself when it accepts, so on a listener they are refused with
 * {@code ENOPROTOOPT} on every adapter (Linux would store them for the accepted sockets to inherit; a JDK
 * {@code ServerSocketChannel} does not offer them at all).
 *
 * <p>On a Unix domain socket ({@link java.net.UnixDomainSocketAddress}) only the options that mean something
 * there apply: {@link #SO_RCVBUF}, {@link #SO_SNDBUF} and {@link #SO_LINGER} ({@link #appliesToUnixSocket()}),
 * and on a Unix listener {@link #SO_RCVBUF} alone. The others are refused with {@code EOPNOTSUPP} on every
 * adapter: Linux itself refuses the {@code TCP_*} options so, and the JDK refuses the rest (Linux would store
 * {@code SO_KEEPALIVE} and {@code SO_REUSEADDR} on a Unix socket without effect).
 */
public enum AioSocketOption {

    /** {@code IPPROTO_TCP, TCP_NODELAY}: 1 sends small segments at once (Nagle off). */
    TCP_NODELAY,

    /** {@code SOL_SOCKET, SO_KEEPALIVE}: 1 probes an idle connection. */
    SO_KEEPALIVE,

    /** {@code IPPROTO_TCP, TCP_KEEPIDLE}: seconds of idleness before the first keep-alive probe, 1 to 32767. */
    TCP_KEEPIDLE,

    /** {@code IPPROTO_TCP, TCP_KEEPINTVL}: seconds between keep-alive probes, 1 to 32767. */
    TCP_KEEPINTVL,

    /** {@code IPPROTO_TCP, TCP_KEEPCNT}: unanswered probes before the connection is dropped, 1 to 127. */
    TCP_KEEPCNT,

    /**
     * {@code SOL_SOCKET, SO_RCVBUF}: the receive buffer in bytes. Linux doubles what is set (for its own
     * bookkeeping) and reports the doubled value, within {@code net.core.rmem_max}.
     */
    SO_RCVBUF,

    /** {@code SOL_SOCKET, SO_SNDBUF}: the send buffer in bytes; doubled by Linux as {@link #SO_RCVBUF}. */
    SO_SNDBUF,

    /**
     * {@code SOL_SOCKET, SO_LINGER}: seconds that a close waits for unsent data, {@code 0} to reset the
     * connection at close, or {@code -1} for off (the default: close returns at once and the kernel sends the
     * rest). Reading it gives the same three cases.
     */
    SO_LINGER,

    /** {@code SOL_SOCKET, SO_REUSEPORT}: 1 lets several sockets bind the same address and port. */
    SO_REUSEPORT,

    /** {@code SOL_SOCKET, SO_REUSEADDR}: 1 lets a listener bind a port with connections in TIME_WAIT. */
    SO_REUSEADDR;

    /**
     * Whether the option applies to a listening socket, see the class comment.
     *
     * @return {@code true} for {@link #SO_RCVBUF}, {@link #SO_REUSEADDR}, {@link #SO_REUSEPORT},
     *         {@link #TCP_KEEPIDLE}, {@link #TCP_KEEPINTVL} and {@link #TCP_KEEPCNT}
     */
    public boolean appliesToListener() {
        return switch (this) {
            case SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT -> true;
            case TCP_NODELAY, SO_KEEPALIVE, SO_SNDBUF, SO_LINGER -> false;
        };
    }

    /**
     * Whether the option applies to a Unix domain socket, see the class comment.
     *
     * @return {@code true} for {@link #SO_RCVBUF}, {@link #SO_SNDBUF} and {@link #SO_LINGER}
     */
    public boolean appliesToUnixSocket() {
        return switch (this) {
            case SO_RCVBUF, SO_SNDBUF, SO_LINGER -> true;
            case TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, SO_REUSEPORT, SO_REUSEADDR ->
                    false;
        };
    }

    /**
     * Whether the option applies to a datagram socket ({@link AioDatagramOperations}): the others concern TCP or a
     * connection (Linux refuses the TCP ones on a UDP socket; the JDK's {@code DatagramChannel} offers neither
     * {@code SO_KEEPALIVE} nor {@code SO_LINGER}), so they are refused with {@code ENOPROTOOPT} on every adapter.
     *
     * @return {@code true} for {@link #SO_RCVBUF}, {@link #SO_SNDBUF}, {@link #SO_REUSEADDR} and
     *         {@link #SO_REUSEPORT}
     */
    public boolean appliesToDatagram() {
        return switch (this) {
            case SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR, SO_REUSEPORT -> true;
            case TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, SO_LINGER -> false;
        };
    }

    /**
     * Whether the option is a flag, set and read as 1 or 0.
     *
     * @return {@code true} for {@link #TCP_NODELAY}, {@link #SO_KEEPALIVE}, {@link #SO_REUSEPORT} and
     *         {@link #SO_REUSEADDR}
     */
    public boolean isBoolean() {
        return switch (this) {
            case TCP_NODELAY, SO_KEEPALIVE, SO_REUSEPORT, SO_REUSEADDR -> true;
            default -> false;
        };
    }
}
