package dev.aioops.vthreads;

import dev.aioops.spi.AioErrno;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code send(2)} and {@code recv(2)} with {@code MSG_DONTWAIT}, called on the calling thread: the try of a socket
 * transfer before it is handed to the loop. Never waits, whatever the descriptor's blocking mode.
 */
final class DirectSockets {

    /** {@code -EAGAIN}: the socket would wait. */
    static final int EAGAIN = -AioErrno.EAGAIN;
    /** {@code -ENOTSOCK}: not a socket (a file or an eventfd read at the stream position). */
    static final int ENOTSOCK = -AioErrno.ENOTSOCK;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    /** What {@link #send} and {@link #recv} return when every errno slot is taken: the call was not made. */
    static final int NOT_TRIED = Integer.MIN_VALUE;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /**
     * Errno capture segments shared by all threads, each taken for the length of one call: as many calls are in
     * progress at once as there are carriers (plus the odd platform thread), so a few slots do, without a segment
     * (and a {@code Cleaner} registration) per thread. 64 bytes apart, so that carriers share no line.
     */
    private static final int SLOTS = 64;
    private static final int SLOT_BYTES = 64;
    private static final MemorySegment[] STATES = new MemorySegment[SLOTS];
    /** 1 while a slot is taken; 16 ints (64 bytes) apart. */
    private static final AtomicIntegerArray TAKEN = new AtomicIntegerArray(SLOTS * 16);

    static {
        MemorySegment all = Arena.global().allocate((long) SLOTS * SLOT_BYTES, SLOT_BYTES);
        for (int i = 0; i < SLOTS; i++) {
            STATES[i] = all.asSlice((long) i * SLOT_BYTES, CAPTURE.byteSize());
        }
    }

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
     * Sends now or not at all.
     *
     * @param fd     a socket descriptor
     * @param buffer what to send, not empty
     * @return bytes sent, {@code -errno} ({@link #EAGAIN} when the send buffer is full), or {@link #NOT_TRIED}
     */
    static int send(int fd, MemorySegment buffer) {
        return transfer(Calls.SEND, fd, buffer, MSG_DONTWAIT | MSG_NOSIGNAL);
    }

    /**
     * Receives what is there now, or nothing.
     *
     * @param fd     a socket descriptor
     * @param buffer where to receive, not empty
     * @return bytes received, 0 at the end of the stream, {@code -errno} ({@link #EAGAIN} when nothing is there),
     *         or {@link #NOT_TRIED}
     */
    static int recv(int fd, MemorySegment buffer) {
        return transfer(Calls.RECV, fd, buffer, MSG_DONTWAIT);
    }

    private static int transfer(MethodHandle call, int fd, MemorySegment buffer, int flags) {
        int start = (int) Thread.currentThread().threadId();
        for (int k = 0; k < SLOTS; k++) {
            int slot = (start + k) & (SLOTS - 1);
            if (TAKEN.get(slot * 16) == 0 && TAKEN.compareAndSet(slot * 16, 0, 1)) {
                try {
                    MemorySegment state = STATES[slot];
                    long n = (long) call.invokeExact(state, fd, buffer, Math.min(buffer.byteSize(), 0x7ffff000L),
                            flags);
                    return n >= 0 ? (int) n : -(int) ERRNO.get(state, 0L);
                } catch (RuntimeException | Error e) {
                    throw e; // a closed arena: IllegalStateException, as the submitting methods throw
                } catch (Throwable e) {
                    throw new IllegalStateException("send/recv downcall failed", e);
                } finally {
                    TAKEN.set(slot * 16, 0); // release: the next taker's call follows this one's errno read
                }
            }
        }
        return NOT_TRIED;
    }
}
