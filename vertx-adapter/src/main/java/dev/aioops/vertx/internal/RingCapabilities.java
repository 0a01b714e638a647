package dev.aioops.vertx.internal;

import dev.aioops.spi.AioCapability;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.UringLayout;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The capabilities of the shared-ring mode: those of a ring the adapter submits to, less host-driving (the
 * event loop is Vert.x's), plus confined opens where the kernel has {@code openat2}.
 */
public final class RingCapabilities {

    private RingCapabilities() {
    }

    /**
     * The capabilities, probed once.
     *
     * @return an unmodifiable set
     */
    public static Set<AioCapability> probe() {
        EnumSet<AioCapability> caps = EnumSet.of(AioCapability.RAW_FD, AioCapability.DIRECT_IO,
                AioCapability.NATIVE_EVENTFD, AioCapability.BATCHED_SUBMISSION, AioCapability.POOL_FREE_FILE_IO,
                AioCapability.SHARED_RING, AioCapability.LISTENER_SOCKET_OPTIONS, AioCapability.UNIX_HALF_CLOSE,
                AioCapability.REUSE_PORT);
        if (RingOpcodes.has(UringLayout.OP_OPENAT2)) {
            caps.add(AioCapability.CONFINED_OPEN);
        }
        return Collections.unmodifiableSet(caps);
    }
}
