package dev.aioops.nio2.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;

import java.util.concurrent.CountDownLatch;

/**
 * Waits on the calling thread for one operation, for the channel methods the JDK makes synchronous ({@code bind},
 * {@code size}, {@code truncate}, {@code force}, the file open). Such a call on the loop the operation completes on
 * would wait for itself forever, so it is refused there with a message saying what to do.
 */
final class Await implements AioCompletion<Object> {

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int result;

    private Await() {
    }

    /** Submits an operation given an attachment and a completion. */
    @FunctionalInterface
    interface Submit {
        long submit(Await attachment, AioCompletion<Object> completion);
    }

    /**
     * Runs one operation and waits for its result.
     *
     * @param ops    the instance it runs on
     * @param what   the channel method, for the message
     * @param submit submits it
     * @return the operation's result ({@code -errno} on failure)
     * @throws IllegalStateException if called on {@code ops}'s loop
     */
    static int call(AioOperations ops, String what, Submit submit) {
        refuseOnLoop(ops, what);
        Await a = new Await();
        submit.submit(a, a);
        boolean interrupted = false;
        while (true) {
            try {
                a.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // as the JDK's size() and force(): finish the call, keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return a.result;
    }

    /** Throws when the caller is {@code ops}'s loop, which a wait of this call would stop. */
    static void refuseOnLoop(AioOperations ops, String what) {
        if (ops.inLoop()) {
            throw new IllegalStateException(what + " waits for an operation of the channel's aioops loop, and the "
                    + "calling thread is that loop (a completion handler): it would wait forever. Call it from "
                    + "another thread, or before starting the asynchronous work");
        }
    }

    @Override
    public void completed(int r, Object attachment) {
        result = r;
        done.countDown();
    }
}
