package dev.aioops.vertx.internal;

import dev.aioops.uring.ring.UringLayout;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * How the shared-ring mode hands a submission entry to Netty's ring, and whether a context can carry it (an
 * io_uring event loop, and a Netty with the API it needs).
 *
 * <p>The entry is built with the io_uring adapter's encoder in a 64-byte {@code io_uring_sqe} and copied field by
 * field into an {@link IoUringIoOps}, whose constructor takes, after the user data, {@code buf_index} (Netty's
 * {@code union4}), then {@code personality}, then {@code file_index} ({@code union5}) and {@code addr3}
 * ({@code union6}).
 */
public final class RingSubmissions {

    /** Hands one entry to the ring; the engine's only path to it, replaceable by tests. */
    @FunctionalInterface
    interface Submitter {
        /**
         * Loop: submits an entry.
         *
         * @param ops the entry
         * @return the identifier the ring knows it by, 0 if the ring refused it
         */
        long submit(IoUringIoOps ops);
    }

    private RingSubmissions() {
    }

    /**
     * The entry in {@code sqe} as Netty's operation, tagged with {@code userData}.
     *
     * @param sqe      an encoded {@code io_uring_sqe}
     * @param userData the tag its completion comes back with
     * @return the operation
     */
    static IoUringIoOps toIoOps(MemorySegment sqe, long userData) {
        return new IoUringIoOps(
                sqe.get(JAVA_BYTE, UringLayout.SQE_OPCODE),
                sqe.get(JAVA_BYTE, UringLayout.SQE_FLAGS),
                sqe.get(JAVA_SHORT, UringLayout.SQE_IOPRIO),
                sqe.get(JAVA_INT, UringLayout.SQE_FD),
                sqe.get(JAVA_LONG, UringLayout.SQE_OFF),
                sqe.get(JAVA_LONG, UringLayout.SQE_ADDR),
                sqe.get(JAVA_INT, UringLayout.SQE_LEN),
                sqe.get(JAVA_INT, UringLayout.SQE_OP_FLAGS),
                userData,
                sqe.get(JAVA_SHORT, UringLayout.SQE_BUF_INDEX),
                sqe.get(JAVA_SHORT, UringLayout.SQE_PERSONALITY),
                sqe.get(JAVA_INT, UringLayout.SQE_FILE_INDEX),
                sqe.get(JAVA_LONG, UringLayout.SQE_ADDR3));
    }

    /**
     * Why the Netty on the class path cannot carry the shared ring, or null if it can: checks, by reflection, the
     * exact constructors and methods the engine calls, so that an older Netty 4.2 (whose {@code IoUringIoOps}
     * had no 64-bit user data) is refused when opening rather than failing with a {@link LinkageError} on the
     * first submission.
     *
     * @return the reason, or null
     */
    public static String missingApi() {
        try {
            IoUringIoOps.class.getConstructor(byte.class, byte.class, short.class, int.class, long.class,
                    long.class, int.class, int.class, long.class, short.class, short.class, int.class, long.class);
            IoUringIoEvent.class.getMethod("userData");
            IoUringIoEvent.class.getMethod("res");
            IoRegistration.class.getMethod("submit", IoOps.class);
            IoRegistration.class.getMethod("cancel");
            IoEventLoop.class.getMethod("register", IoHandle.class);
            IoEventLoop.class.getMethod("isCompatible", Class.class);
            return null;
        } catch (NoSuchMethodException | LinkageError e) {
            return "the Netty on the class path (" + nettyVersion() + ") lacks " + e.getMessage()
                    + ", which the shared-ring mode needs (a Netty 4.2 whose IoUringIoOps takes 64-bit user data, "
                    + "such as the one vertx-core declares)";
        }
    }

    /**
     * Whether a context's event loop is a Netty io_uring event loop that accepts a foreign handle, whether or
     * not {@link #missingApi()} lets the shared ring use it.
     *
     * @param context a Vert.x context
     * @return {@code true} on Netty's io_uring transport
     */
    public static boolean runsOnIoUring(Context context) {
        try {
            return ((ContextInternal) context).nettyEventLoop() instanceof IoEventLoop loop
                    && loop.isCompatible(IoUringIoHandle.class);
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static String nettyVersion() {
        try {
            Package p = IoUringIoOps.class.getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "version unknown" : v;
        } catch (LinkageError e) {
            return "io_uring classes missing";
        }
    }
}
