package dev.aioops.spi.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The periodic JFR event {@code dev.aioops.Loop}: one per open instance and period, with the figures of
 * {@link dev.aioops.spi.AioStats} since the instance opened (cumulative; JMC and {@code jfr summary} show their
 * growth). Emitted by a hook registered with {@code FlightRecorder.addPeriodicEvent} while the instance is open,
 * on JFR's periodic thread. Off by default; the period defaults to one second.
 */
@Name(AioLoopEvent.NAME)
@Label("aioops Loop")
@Category({"aioops"})
@Description("Counters of one aioops instance since it opened")
@Period("1 s")
@Enabled(false)
@StackTrace(false)
public final class AioLoopEvent extends Event {

    /** The event's name, for {@code Recording.enable(String)} and settings. */
    public static final String NAME = "dev.aioops.Loop";

    /** Creates an event; aioops does, on JFR's periodic thread. */
    public AioLoopEvent() {
    }

    /** The adapter name. */
    @Label("Adapter")
    public String adapter;

    /** A process-unique number of the instance, in the order instances opened. */
    @Label("Instance")
    public long instance;

    /** {@link dev.aioops.spi.AioStats#submitted()}. */
    @Label("Submitted")
    public long submitted;

    /** {@link dev.aioops.spi.AioStats#completed()}. */
    @Label("Completed")
    public long completed;

    /** {@link dev.aioops.spi.AioStats#inFlight()}. */
    @Label("In Flight")
    public long inFlight;

    /** {@link dev.aioops.spi.AioStats#turns()}. */
    @Label("Loop Turns")
    public long turns;

    /** {@link dev.aioops.spi.AioStats#enters()}: io_uring_enter calls. */
    @Label("io_uring_enter Calls")
    public long enters;

    /** {@link dev.aioops.spi.AioStats#sqes()}. */
    @Label("SQEs Submitted")
    public long sqes;

    /** {@link dev.aioops.spi.AioStats#sqesPerEnter()}. */
    @Label("SQEs per Enter")
    public double sqesPerEnter;

    /** {@link dev.aioops.spi.AioStats#completionsPerTurn()}. */
    @Label("Completions per Turn")
    public double completionsPerTurn;

    /** {@link dev.aioops.spi.AioStats#cqOverflows()}. */
    @Label("CQ Overflows")
    public long cqOverflows;

    /** {@link dev.aioops.spi.AioStats#wakeups()}. */
    @Label("Wake-ups")
    public long wakeups;

    /** {@link dev.aioops.spi.AioStats#kernelWorkers()}. */
    @Label("Kernel Workers")
    public int kernelWorkers;
}
