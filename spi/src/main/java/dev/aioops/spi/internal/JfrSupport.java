package dev.aioops.spi.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;
import dev.aioops.spi.jfr.AioLoopEvent;
import dev.aioops.spi.jfr.AioSlowCompletionEvent;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of {@link Observability} that touches {@code jdk.jfr}; loaded only when that module is present.
 */
final class JfrSupport {

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final AtomicBoolean LISTENING = new AtomicBoolean();
    private static volatile EventType slowType;

    private JfrSupport() {
    }

    static Observability.Registration register(AioOperations instance) {
        try {
            listen();
            long id = INSTANCES.incrementAndGet();
            String adapter = instance.adapterName();
            Runnable hook = () -> emit(instance, adapter, id);
            FlightRecorder.addPeriodicEvent(AioLoopEvent.class, hook);
            AtomicBoolean closed = new AtomicBoolean();
            return () -> {
                if (closed.compareAndSet(false, true)) {
                    FlightRecorder.removePeriodicEvent(hook);
                }
            };
        } catch (RuntimeException | LinkageError e) {
            // A JVM built without JFR, or one that refuses it: aioops runs on without events.
            LOG.log(System.Logger.Level.DEBUG, "aioops: JFR events unavailable", e);
            return () -> { };
        }
    }

    /** Once: follows recordings starting and stopping, to know whether to time completions. */
    private static void listen() {
        if (!LISTENING.compareAndSet(false, true)) {
            return;
        }
        slowType = EventType.getEventType(AioSlowCompletionEvent.class);
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording recording) {
                refresh();
            }
        });
        refresh();
    }

    /** Whether any recording enables the slow-completion event now (a setting changed mid-recording counts at
     * the next periodic event or recording change). */
    private static void refresh() {
        EventType t = slowType;
        Observability.slowCompletionsEnabled = t != null && t.isEnabled();
    }

    private static void emit(AioOperations instance, String adapter, long id) {
        refresh();
        AioLoopEvent e = new AioLoopEvent();
        if (!e.isEnabled()) {
            return;
        }
        AioStats s = instance.stats();
        e.adapter = adapter;
        e.instance = id;
        e.submitted = s.submitted();
        e.completed = s.completed();
        e.inFlight = s.inFlight();
        e.turns = s.turns();
        e.enters = s.enters();
        e.sqes = s.sqes();
        e.sqesPerEnter = s.sqesPerEnter();
        e.completionsPerTurn = s.completionsPerTurn();
        e.cqOverflows = s.cqOverflows();
        e.wakeups = s.wakeups();
        e.kernelWorkers = s.kernelWorkers();
        e.commit();
    }

    static <A> void timed(String adapter, AioCompletion<? super A> completion, int result, A attachment) {
        AioSlowCompletionEvent e = new AioSlowCompletionEvent();
        e.begin();
        try {
            completion.completed(result, attachment);
        } finally {
            e.end();
            if (e.shouldCommit()) {
                e.adapter = adapter;
                e.handler = completion.getClass().getName();
                e.result = result;
                e.commit();
            }
        }
    }
}
