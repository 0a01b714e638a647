package dev.aioops.spi.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The JFR event {@code dev.aioops.SlowCompletion}: a completion handler ({@link dev.aioops.spi.AioCompletion}) ran
 * on the loop for longer than the event's {@code threshold} (20 ms unless the recording sets another), holding up
 * every other completion of its instance. Its duration is the handler's time; its thread is the loop's. Off by
 * default. The loop measures handlers only while a recording has this event enabled.
 */
@Name(AioSlowCompletionEvent.NAME)
@Label("aioops Slow Completion Handler")
@Category({"aioops"})
@Description("A completion handler that ran longer than the threshold on an aioops loop")
@Threshold("20 ms")
@Enabled(false)
@StackTrace(false)
public final class AioSlowCompletionEvent extends Event {

    /** The event's name, for {@code Recording.enable(String)} and settings. */
    public static final String NAME = "dev.aioops.SlowCompletion";

    /** Creates an event; aioops does, on the loop, only while the event is enabled. */
    public AioSlowCompletionEvent() {
    }

    /** The adapter name. */
    @Label("Adapter")
    public String adapter;

    /** The class of the handler (a lambda's generated class names its defining class). */
    @Label("Handler")
    public String handler;

    /** The result the handler was given. */
    @Label("Result")
    public int result;
}
