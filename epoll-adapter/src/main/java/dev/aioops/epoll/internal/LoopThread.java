package dev.aioops.epoll.internal;

import dev.aioops.spi.AioConfig;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;

/**
 * Which thread is the loop. For {@link AioConfig.Threading#OWN_THREAD} a platform thread this class makes and
 * {@link #start() starts}; host-driven, the first thread that {@link #claim claims} the loop (by {@code runOnce} or
 * {@code close}) keeps it, and any other thread that tries is refused. Also the latch a closing thread waits on
 * until the loop has ended. Any thread may ask {@link #inLoop()}.
 */
final class LoopThread {

    private static final VarHandle THREAD;

    static {
        try {
            THREAD = MethodHandles.lookup().findVarHandle(LoopThread.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The thread of OWN_THREAD; null when host-driven. */
    private final Thread own;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The loop thread: {@link #own} from the start, else claimed once. */
    @SuppressWarnings("unused") // also accessed through THREAD
    private volatile Thread thread;

    /**
     * @param config   threading, thread name and daemon flag
     * @param instance the instance's number, for the default thread name
     * @param body     what the own thread runs
     */
    LoopThread(AioConfig config, int instance, Runnable body) {
        if (config.threading() == AioConfig.Threading.OWN_THREAD) {
            String name = config.threadName() != null ? config.threadName() : "aioops-epoll-" + instance;
            this.own = Thread.ofPlatform().name(name).daemon(config.daemon()).unstarted(body);
            this.thread = own;
        } else {
            this.own = null;
        }
    }

    /** Starts the own thread; nothing when host-driven. */
    void start() {
        if (own != null) {
            own.start();
        }
    }

    /** Whether a host thread drives the loop (no own thread). */
    boolean hostDriven() {
        return own == null;
    }

    /** Any thread: whether the caller is the loop thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Host-driven: makes the calling thread the loop thread, unless another one already is.
     *
     * @param what the call, for the message
     * @throws IllegalStateException if another thread drives the loop
     */
    void claim(String what) {
        Thread me = Thread.currentThread();
        Thread driver = thread;
        if (driver == null && THREAD.compareAndSet(this, (Thread) null, me)) {
            return;
        }
        driver = thread;
        if (driver != me) {
            throw new IllegalStateException(what + " of a host-driven epoll AioOperations must be called by the "
                    + "thread that drives it (" + driver.getName() + "), not " + me.getName());
        }
    }

    /** Loop: it has ended; {@link #awaitEnd()} returns. */
    void ended() {
        ended.countDown();
    }

    /** Any thread: waits until the loop has ended, keeping an interrupt for the caller. */
    void awaitEnd() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
