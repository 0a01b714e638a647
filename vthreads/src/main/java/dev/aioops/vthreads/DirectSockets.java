package dev.aioops.vthreads;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code send(2)} and {@code recv(2)} with {@code MSG_DONTWAIT}, called on the calling thread: the try of a socket
 * transfer before it is handed to the loop. Never waits, whatever the descriptor's blocking mode.
 */
final class DirectSockets {

    /** {@code -EAGAIN}: the socket would wait. */
    static final int EAGAIN = -11;
    /** {@code -ENOTSOCK}: not a socket (a file or an eventfd read at the stream position). */
    static final int ENOTSOCK = -88;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private DirectSockets() {
    }

    /** The downcalls, or null without native access (then every transfer goes to the loop). */
    private static final class Calls {
        static final MethodHandle SEND;
        static final MethodHandle RECV;

        static {
            MethodHandle send = null;
            MethodHandle recv = null;
            try {
                send = downcall("send");
                recv = downcall("recv");
            } catch (IllegalCallerException | UnsatisfiedLinkError denied) {
                send = null;
                recv = null;
            }
            SEND = send;
            RECV = recv;
        }

        @SuppressWarnings("restricted") // send and recv only, on descriptors of the instance, never waiting
        private static MethodHandle downcall(String name) {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find(name).orElseThrow(
                    () -> new UnsatisfiedLinkError("libc has no symbol " + name));
            return linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
                    JAVA_INT), Linker.Option.captureCallState("errno"));
        }
    }

    /**
     * Whether this JVM lets the module call {@code send} and {@code recv}.
     *
     * @return {@code true} with native access
     */
    static boolean available() {
        return Calls.SEND != null;
    }

    /**
     * An errno capture segment for one thread.
     *
     * @return a segment freed with its owner
     */
    static MemorySegment newErrnoState() {
        return Arena.ofAuto().allocate(CAPTURE);
    }

    /**
     * Sends now or not at all.
     *
     * @param fd     a socket descriptor
     * @param buffer what to send, not empty
     * @param state  the calling thread's errno capture segment
     * @return bytes sent, or {@code -errno} ({@link #EAGAIN} when the send buffer is full)
     */
    static int send(int fd, MemorySegment buffer, MemorySegment state) {
        return transfer(Calls.SEND, fd, buffer, MSG_DONTWAIT | MSG_NOSIGNAL, state);
    }

    /**
     * Receives what is there now, or nothing.
     *
     * @param fd     a socket descriptor
     * @param buffer where to receive, not empty
     * @param state  the calling thread's errno capture segment
     * @return bytes received, 0 at the end of the stream, or {@code -errno} ({@link #EAGAIN} when nothing is there)
     */
    static int recv(int fd, MemorySegment buffer, MemorySegment state) {
        return transfer(Calls.RECV, fd, buffer, MSG_DONTWAIT, state);
    }

    private static int transfer(MethodHandle call, int fd, MemorySegment buffer, int flags, MemorySegment state) {
        long n;
        try {
            n = (long) call.invokeExact(state, fd, buffer, Math.min(buffer.byteSize(), 0x7ffff000L), flags);
        } catch (RuntimeException | Error e) {
            throw e; // a closed arena: IllegalStateException, as the submitting methods throw
        } catch (Throwable e) {
            throw new IllegalStateException("send/recv downcall failed", e);
        }
        return n >= 0 ? (int) n : -(int) ERRNO.get(state, 0L);
    }
}
