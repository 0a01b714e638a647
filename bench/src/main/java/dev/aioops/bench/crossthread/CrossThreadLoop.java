package dev.aioops.bench.crossthread;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded loop that other threads hand tasks to: an aioops adapter ({@link AioOperations#execute}), a JDK
 * single-thread executor, or a Netty epoll event loop. Knows its loop thread's kernel id, so that the loop's sleeps
 * can be counted ({@link ThreadCounters#voluntarySwitches}).
 *
 * <p>How each is woken, which decides what {@link ThreadCounters#writeSyscalls} sees on the producers: the uring
 * adapter writes its wake-up {@code eventfd} ({@code eventfd_write}); the epoll adapter calls
 * {@code Selector.wakeup()}, an {@code eventfd} write in the JDK's epoll selector; the Vert.x adapter schedules a
 * drain on the Vert.x event loop, which Netty wakes with an {@code eventfd} (or selector) write, and so does the
 * Netty peer. The JDK executor's worker waits on a condition: producers wake it with a {@code futex}, which no
 * counter here sees ({@link #wakeupsCounted()} is {@code false}).
 */
public final class CrossThreadLoop implements AutoCloseable {

    /** The JDK peer's name for {@link #open(String)}. */
    public static final String JDK = "jdk";
    /** The Netty peer's name for {@link #open(String)}. */
    public static final String NETTY = "netty";

    private final String name;
    private final TaskSink sink;
    private final AutoCloseable resource;
    private final boolean wakeupsCounted;
    private final int loopTid;

    private CrossThreadLoop(String name, TaskSink sink, AutoCloseable resource, boolean wakeupsCounted) {
        this.name = name;
        this.sink = sink;
        this.resource = resource;
        this.wakeupsCounted = wakeupsCounted;
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        sink.execute(() -> tid.complete(ThreadCounters.currentTid()));
        try {
            this.loopTid = tid.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeQuietly(resource);
            throw new IllegalStateException(name + ": its loop did not run a task", e);
        }
    }

    /**
     * Opens a loop by name: {@code uring}, {@code epoll}, {@code vertx} (or any other aioops adapter), {@link #JDK}
     * or {@link #NETTY}.
     *
     * @param kind the name
     * @return the loop, its thread started
     * @throws IllegalStateException if it is not available here
     */
    public static CrossThreadLoop open(String kind) {
        return switch (kind) {
            case JDK -> jdkSingleThread();
            case NETTY -> nettyEpoll();
            default -> {
                AioProvider provider = Aio.provider(kind)
                        .orElseThrow(() -> new IllegalStateException("no aioops adapter named " + kind));
                if (!provider.isAvailable()) {
                    throw new IllegalStateException(kind + " is not available: " + provider.unavailabilityCause());
                }
                yield adapter(provider);
            }
        };
    }

    /**
     * An aioops adapter's loop, opened with the default configuration.
     *
     * @param provider the adapter, available
     * @return the loop
     */
    public static CrossThreadLoop adapter(AioProvider provider) {
        AioOperations ops = provider.open(AioConfig.builder().threadName("aioops-cross-thread").build());
        return new CrossThreadLoop("aioops " + provider.name(), ops::execute, ops, true);
    }

    /**
     * {@code Executors.newSingleThreadExecutor()}: a {@code ThreadPoolExecutor} with one worker and a
     * {@code LinkedBlockingQueue}.
     *
     * @return the loop
     */
    public static CrossThreadLoop jdkSingleThread() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        return new CrossThreadLoop("JDK single-thread executor", executor::execute, executor, false);
    }

    /**
     * One Netty 4.2 event loop on its epoll transport.
     *
     * @return the loop
     * @throws IllegalStateException if Netty's epoll transport is not available
     */
    public static CrossThreadLoop nettyEpoll() {
        String why = nettyUnavailable();
        if (why != null) {
            throw new IllegalStateException("Netty epoll is not available: " + why);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoop loop = group.next();
        return new CrossThreadLoop("Netty epoll event loop", loop::execute,
                () -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly(), true);
    }

    /**
     * Why the Netty peer cannot run here.
     *
     * @return the reason, or null when it can
     */
    public static String nettyUnavailable() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause);
    }

    /**
     * The name shown in reports, such as "aioops uring".
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Any thread: hands a task to the loop.
     *
     * @param task the task, run once on the loop thread
     */
    public void execute(Runnable task) {
        sink.execute(task);
    }

    /**
     * The kernel id of the loop thread.
     *
     * @return its tid
     */
    public int loopTid() {
        return loopTid;
    }

    /**
     * Whether producers' wake-ups of this loop are {@code write} system calls, counted by
     * {@link ThreadCounters#writeSyscalls}; {@code false} for the JDK executor ({@code futex}).
     *
     * @return whether wake-ups are counted
     */
    public boolean wakeupsCounted() {
        return wakeupsCounted;
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // Already failing: the caller reports the first error.
        }
    }

    /** Where tasks go: the loop's own {@code execute}. */
    @FunctionalInterface
    private interface TaskSink {
        void execute(Runnable task);
    }
}
