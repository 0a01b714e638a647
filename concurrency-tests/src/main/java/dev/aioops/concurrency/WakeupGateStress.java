package dev.aioops.concurrency;

import dev.aioops.spi.internal.WakeupGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One loop about to sleep, two producers each publishing a message then asking whether to wake the loop.
 * Result: (the loop's last look saw a message, producer 1 claimed the wake-up, producer 2 claimed it).
 *
 * <p>The message queue is stood in for by an {@link AtomicInteger} whose increment is a full fence, as the
 * offer of every MPSC queue the adapters use is (an atomic exchange or CAS).
 */
@JCStressTest
@Description("No lost wake-up, and never two wake-ups for one sleep")
@Outcome(id = "false, false, false", expect = FORBIDDEN, desc = "lost wake-up: the loop sleeps on a message")
@Outcome(id = {"false, true, true", "true, true, true"}, expect = FORBIDDEN, desc = "two wake-ups for one sleep")
@Outcome(id = "true, false, false", expect = ACCEPTABLE, desc = "the loop saw work and stays awake")
@Outcome(id = {"false, true, false", "false, false, true"}, expect = ACCEPTABLE, desc = "one producer wakes it")
@Outcome(id = {"true, true, false", "true, false, true"}, expect = ACCEPTABLE_INTERESTING,
        desc = "the loop saw work and a producer also woke it: one spurious wake-up, harmless")
@State
public class WakeupGateStress {

    private final WakeupGate gate = new WakeupGate();
    private final AtomicInteger queue = new AtomicInteger();

    /** Creates the state of one trial. */
    public WakeupGateStress() {
    }

    /**
     * The loop: announces the sleep, then takes a last look at its queue.
     *
     * @param r the result
     */
    @Actor
    public void loop(ZZZ_Result r) {
        gate.prepareSleep();
        r.r1 = queue.get() != 0;
        if (r.r1) {
            gate.cancelSleep();
        }
    }

    /**
     * A producer: publishes a message, then claims the wake-up if the loop sleeps.
     *
     * @param r the result
     */
    @Actor
    public void producer1(ZZZ_Result r) {
        queue.incrementAndGet();
        r.r2 = gate.claimWakeup();
    }

    /**
     * Another producer, racing the first.
     *
     * @param r the result
     */
    @Actor
    public void producer2(ZZZ_Result r) {
        queue.incrementAndGet();
        r.r3 = gate.claimWakeup();
    }
}
