package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.MemberGroup;
import dev.aioops.vertx.internal.VertxOwnership;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups on a Vert.x instance: one member per event loop, each bound to an event-loop context of its own on that
 * loop, so that its completions run there and, on io_uring, its operations go to that loop's ring. The contexts
 * are made with Vert.x's context builder on each of the instance's Netty event loops in turn (rather than
 * {@code createEventLoopContext()}, whose round-robin pick would be shared with everything else that makes
 * contexts), and share the instance's close future.
 */
final class VertxAioGroups {

    private VertxAioGroups() {
    }

    /**
     * Opens one member per event loop of {@code vertx}; members already open are closed again if one fails.
     *
     * @param vertx     the instance
     * @param config    every member's configuration
     * @param ownership whether and how the members close {@code vertx}; shared by all of them
     * @param hosted    whether each member closes with the instance's close future
     * @return the group, of as many members as {@code vertx} has event loops
     */
    static AioGroup open(Vertx vertx, AioConfig config, VertxOwnership ownership, boolean hosted) {
        List<EventLoop> loops = eventLoops(vertx);
        MemberGroup.checkSize(loops.size());
        List<AioOperations> members = MemberGroup.openMembers(loops.size(), i -> new VertxAioOperations(
                contextOn(vertx, loops.get(i)), ownership, hosted, MemberGroup.memberConfig(config, i)));
        return new MemberGroup(members);
    }

    /**
     * The Netty event loops of a Vert.x instance, in the order its group iterates them.
     *
     * @param vertx the instance
     * @return its event loops (not the acceptor loop)
     */
    static List<EventLoop> eventLoops(Vertx vertx) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            loops.add((EventLoop) executor);
        }
        return loops;
    }

    private static ContextInternal contextOn(Vertx vertx, EventLoop loop) {
        return ((VertxInternal) vertx).contextBuilder()
                .withThreadingModel(ThreadingModel.EVENT_LOOP)
                .withEventLoop(loop)
                .build();
    }
}
