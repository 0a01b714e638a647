package dev.aioops.uring.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The pipes of a loop's zero-copy sends ({@link SpliceSend}): one per send in flight, kept for the next send when it
 * comes back clean, closed when it comes back dirty. A pipe is made with {@code pipe2(O_NONBLOCK | O_CLOEXEC)}, which
 * never waits, so the loop makes it when a send needs one: non-blocking so that a splice that found the pipe in an
 * unexpected state fails with {@code -EAGAIN} instead of parking a kernel worker for ever. Its capacity is raised to
 * {@link #PIPE_SIZE} ({@code F_SETPIPE_SZ}) where the kernel allows it ({@code fs.pipe-max-size}), so that a send
 * moves that much per pair of splices; otherwise it keeps the kernel's default (64 KiB).
 *
 * <p>Loop thread only; {@link #take} and {@link #give} allocate nothing once the pool holds a pipe.
 */
public final class SplicePipes {

    /** The capacity asked for: Linux's default {@code fs.pipe-max-size}. */
    public static final int PIPE_SIZE = 1 << 20;
    /** A pipe's capacity when the kernel keeps its default. */
    private static final int DEFAULT_PIPE_SIZE = 1 << 16;
    /** How long a socket splice waits for room before it returns what it moved ({@link #limitWait}). */
    private static final long WAIT_MICROS = 10_000;

    private final ArrayDeque<SpliceSend> idle = new ArrayDeque<>();
    private final int maxIdle;
    private final MemorySegment errno;
    private final MemorySegment fds;
    private final MemorySegment timeval;
    private int failure;
    private boolean closed;

    /**
     * A pool that keeps at most {@code maxIdle} pipes between sends.
     *
     * @param arena   the owner of the pool's scratch memory (errno capture, two descriptors); outlives the pool
     * @param maxIdle how many idle pipes to keep
     */
    public SplicePipes(Arena arena, int maxIdle) {
        this.maxIdle = maxIdle;
        this.errno = LibC.newErrnoState(arena);
        this.fds = arena.allocate(JAVA_INT, 2);
        this.timeval = arena.allocate(UringLayout.SOCK_TIMEVAL_SIZE, 8);
        timeval.set(JAVA_LONG, 0, 0);
        timeval.set(JAVA_LONG, 8, WAIT_MICROS);
    }

    /**
     * Bounds how long a blocking send on a socket waits for room in its send buffer ({@code SO_SNDTIMEO}), so that a
     * socket splice of a send into a socket whose peer reads nothing returns to the loop instead of holding a kernel
     * worker ({@link SpliceSend}). The adapter's other sends never block in the kernel (they are tried without
     * waiting and then polled), so the option changes nothing else. Never waits.
     *
     * @param socketFd the socket
     * @return 0, or {@code -errno}
     */
    public int limitWait(int socketFd) {
        return LibC.setsockopt(errno, socketFd, UringLayout.SOL_SOCKET, UringLayout.SO_SNDTIMEO_NEW, timeval,
                UringLayout.SOCK_TIMEVAL_SIZE);
    }

    /**
     * A send with a clean pipe: an idle one, or a new one.
     *
     * @return the send, or null when no pipe could be made ({@link #failure()} says why)
     */
    public SpliceSend take() {
        SpliceSend send = idle.poll();
        if (send != null) {
            return send;
        }
        int r = LibC.pipe2(errno, fds, UringLayout.O_NONBLOCK | UringLayout.O_CLOEXEC);
        if (r < 0) {
            failure = r;
            return null;
        }
        int read = fds.get(JAVA_INT, 0);
        int write = fds.get(JAVA_INT, 4);
        int size = LibC.fcntl(errno, write, UringLayout.F_SETPIPE_SZ, PIPE_SIZE);
        return new SpliceSend(read, write, size > 0 ? size : DEFAULT_PIPE_SIZE);
    }

    /** {@return the {@code -errno} of the last {@link #take} that could not make a pipe} */
    public int failure() {
        return failure;
    }

    /**
     * Takes back a send that is over (its last request completed): its pipe is kept if it is clean and the pool has
     * room, else closed.
     *
     * @param send a send from {@link #take}
     */
    public void give(SpliceSend send) {
        if (closed || !send.clean() || idle.size() >= maxIdle) {
            send.close();
        } else {
            idle.push(send);
        }
    }

    /** {@return how many pipes wait for a send; for tests} */
    public int idle() {
        return idle.size();
    }

    /** Closes the idle pipes; those of sends still in flight close when they are given back. Idempotent. */
    public void close() {
        closed = true;
        SpliceSend send;
        while ((send = idle.poll()) != null) {
            send.close();
        }
    }
}
