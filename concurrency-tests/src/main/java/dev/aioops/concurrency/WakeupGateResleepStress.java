package dev.aioops.concurrency;

import dev.aioops.spi.internal.WakeupGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The loop wakes from one sleep (for another reason) and prepares the next while a producer that saw the first
 * sleep is still deciding: the sequence number must keep the producer's claim from being lost or doubled.
 * Result: (the loop's last look before its second sleep saw the message, the producer claimed a wake-up).
 */
@JCStressTest
@Description("A claim that straddles two sleeps neither loses the message nor wakes twice")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up on the second sleep")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the loop saw the message")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the producer woke the second sleep")
@Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING, desc = "seen and woken: one spurious wake-up")
@State
public class WakeupGateResleepStress {

    private final WakeupGate gate = new WakeupGate();
    private final AtomicInteger queue = new AtomicInteger();

    /** Creates the state of one trial: the loop is asleep for the first time. */
    public WakeupGateResleepStress() {
        gate.prepareSleep();
    }

    /**
     * The loop: wakes (a timeout, say), then prepares its second sleep and looks at its queue.
     *
     * @param r the result
     */
    @Actor
    public void loop(ZZ_Result r) {
        gate.awake();
        gate.prepareSleep();
        r.r1 = queue.get() != 0;
        if (r.r1) {
            gate.cancelSleep();
        }
    }

    /**
     * The producer: publishes, then claims the wake-up of whichever sleep it finds.
     *
     * @param r the result
     */
    @Actor
    public void producer(ZZ_Result r) {
        queue.incrementAndGet();
        r.r2 = gate.claimWakeup();
    }
}
