package dev.aioops.bench.crossthread;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Two loops of one group that hand each other tasks from their own threads: member 0 sends member 1 empty tasks,
 * at most a window of them unacknowledged, and member 1 acknowledges every so many with a task back to member 0,
 * which sends more (a window of 1 acknowledged every 1 is a ping-pong: every message wakes the other loop). Every
 * message is a loop-to-loop {@code execute}; the loops sleep whenever the other side has not caught up, so the run
 * measures the wake-up path between loops as much as the queues.
 *
 * <p>The pairs: an aioops io_uring group, whose members wake each other with {@code IORING_OP_MSG_RING} on the
 * sender's ring, or (forced, {@code aioops.uring.group.msgRing=false}) with an {@code eventfd} write; Netty 4.2's
 * {@link MultiThreadIoEventLoopGroup} of two loops with the io_uring or the epoll {@code IoHandler} (default
 * configuration: a loop wakes another with an {@code eventfd} write either way).
 *
 * <p>Nothing is allocated per message: the tasks are two preallocated {@link Runnable}s, and each side's counters
 * are touched by its own loop thread only.
 */
public final class CrossLoopPair implements AutoCloseable {

    /** The streaming window: messages member 0 may have sent that member 1 has not acknowledged. */
    public static final int WINDOW = 256;
    /** The streaming acknowledgement: member 1 acknowledges this many messages at once. */
    public static final int ACK_EVERY = 32;

    private final String name;
    private final Executor first;
    private final Executor second;
    private final AutoCloseable resource;
    private final int firstTid;
    private final int secondTid;

    private CrossLoopPair(String name, Executor first, Executor second, AutoCloseable resource) {
        this.name = name;
        this.first = first;
        this.second = second;
        this.resource = resource;
        try {
            this.firstTid = tidOf(first);
            this.secondTid = tidOf(second);
        } catch (Exception e) {
            try {
                resource.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException(name + ": its loops did not run a task", e);
        }
    }

    private static int tidOf(Executor loop) throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        loop.execute(() -> tid.complete(ThreadCounters.currentTid()));
        return tid.get(30, TimeUnit.SECONDS);
    }

    /**
     * A group of two on the io_uring adapter.
     *
     * @param msgRing {@code true} for {@code MSG_RING} wake-ups, {@code false} to force the eventfd handshake
     * @return the pair
     * @throws IllegalStateException if io_uring is not available, or the kernel lacks {@code MSG_RING} when asked
     */
    public static CrossLoopPair uring(boolean msgRing) {
        AioProvider provider = Aio.provider("uring").filter(AioProvider::isAvailable)
                .orElseThrow(() -> new IllegalStateException("the io_uring adapter is not available"));
        String property = "aioops.uring.group.msgRing";
        String old = System.getProperty(property);
        System.setProperty(property, Boolean.toString(msgRing));
        AioGroup group;
        try {
            group = provider.openGroup(AioConfig.builder().threadName("aioops-cross-loop").build(), 2);
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
        return new CrossLoopPair("aioops uring group, " + (msgRing ? "MSG_RING" : "eventfd (forced)"),
                group.member(0)::execute, group.member(1)::execute, group);
    }

    /**
     * Netty's event-loop group of two loops.
     *
     * @param ioUring the io_uring {@code IoHandler}, else epoll
     * @return the pair
     * @throws IllegalStateException if that transport is not available
     */
    public static CrossLoopPair netty(boolean ioUring) {
        String why = nettyUnavailable(ioUring);
        if (why != null) {
            throw new IllegalStateException("Netty " + (ioUring ? "io_uring" : "epoll") + " is not available: " + why);
        }
        IoHandlerFactory factory = ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, factory);
        EventLoop a = group.next();
        EventLoop b = group.next();
        if (a == b) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IllegalStateException("Netty's group of two handed out one loop twice");
        }
        return new CrossLoopPair("Netty EventLoopGroup, " + (ioUring ? "io_uring" : "epoll"), a, b,
                () -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
    }

    /**
     * Why a Netty transport cannot run here.
     *
     * @param ioUring io_uring, else epoll
     * @return the reason, or null when it can
     */
    public static String nettyUnavailable(boolean ioUring) {
        Throwable cause = ioUring ? IoUring.unavailabilityCause() : Epoll.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause);
    }

    /**
     * The name shown in reports.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The kernel ids of the two loop threads.
     *
     * @return {member 0's tid, member 1's tid}
     */
    public int[] loopTids() {
        return new int[]{firstTid, secondTid};
    }

    /**
     * Runs the exchange for about {@code nanos}: sends until then, and returns once member 1 has run every message.
     *
     * @param nanos     how long member 0 keeps sending
     * @param window    messages member 0 may have unacknowledged
     * @param ackEvery  member 1 acknowledges this many at once; divides {@code window}
     * @return messages passed between the loops, both ways (tasks and acknowledgements)
     * @throws Exception if the exchange does not finish within a minute after the time is up
     */
    public long run(long nanos, int window, int ackEvery) throws Exception {
        if (window < 1 || ackEvery < 1 || window % ackEvery != 0) {
            throw new IllegalArgumentException("window " + window + " must be a multiple of ackEvery " + ackEvery);
        }
        Exchange x = new Exchange(nanos, window, ackEvery);
        first.execute(x::pump);
        return x.done.get(TimeUnit.NANOSECONDS.toSeconds(nanos) + 60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }

    /** One run's state: the sender's fields on member 0's thread, the receiver's on member 1's. */
    private final class Exchange {
        private final long deadline;
        private final int ackEvery;
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        // member 0
        private int credits;
        private long sent;
        private long acks;
        private boolean stopped;
        // member 1
        private int unacknowledged;
        private final Runnable receive = this::receive;
        private final Runnable acknowledge = this::acknowledge;

        Exchange(long nanos, int window, int ackEvery) {
            this.deadline = System.nanoTime() + nanos;
            this.credits = window;
            this.ackEvery = ackEvery;
        }

        /** Member 0: sends while it has credit and time. */
        void pump() {
            if (stopped) {
                return;
            }
            while (credits > 0) {
                credits--;
                sent++;
                second.execute(receive);
                if (((sent & 63) == 0 || credits == 0) && System.nanoTime() - deadline > 0) {
                    stopped = true;
                    long total = sent;
                    long totalAcks = acks;
                    // Behind every message sent (one queue, one producer, in order): all have run when this does.
                    second.execute(() -> done.complete(total + totalAcks));
                    return;
                }
            }
        }

        /** Member 1: one message; every ackEvery, credit goes back to member 0. */
        private void receive() {
            if (++unacknowledged == ackEvery) {
                unacknowledged = 0;
                first.execute(acknowledge);
            }
        }

        /** Member 0: credit returned. */
        private void acknowledge() {
            acks++;
            credits += ackEvery;
            pump();
        }
    }
}
