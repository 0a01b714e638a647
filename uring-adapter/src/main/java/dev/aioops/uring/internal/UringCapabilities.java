package dev.aioops.uring.internal;

import dev.aioops.spi.AioCapability;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What an io_uring instance can do: the fixed set, and what this kernel and this instance's setup add. */
final class UringCapabilities {

    private UringCapabilities() {
    }

    /**
     * The capabilities of an instance.
     *
     * @param loop     its loop, set up (registered buffers, notification fd, probed opcodes)
     * @param receives its receive and accept streams, which know what the kernel offers them
     * @return an unmodifiable set
     */
    static Set<AioCapability> of(UringLoop loop, UringReceives receives) {
        EnumSet<AioCapability> caps = EnumSet.of(AioCapability.HOST_DRIVEN, AioCapability.RAW_FD,
                AioCapability.DIRECT_IO, AioCapability.NATIVE_EVENTFD, AioCapability.BATCHED_SUBMISSION,
                AioCapability.POOL_FREE_FILE_IO, AioCapability.LISTENER_SOCKET_OPTIONS, AioCapability.UNIX_HALF_CLOSE,
                AioCapability.REUSE_PORT);
        if (loop.resources().buffersRegistered() || loop.resources().pool().capacity() == 0) {
            caps.add(AioCapability.REGISTERED_BUFFERS);
        }
        if (loop.wakeup().notificationFd() >= 0) {
            caps.add(AioCapability.NOTIFICATION_FD);
        }
        if (loop.operations().files().confinedOpens()) {
            caps.add(AioCapability.CONFINED_OPEN);
        }
        if (receives.providedBuffers()) {
            caps.add(AioCapability.PROVIDED_BUFFERS);
        }
        if (receives.multishotAccept()) {
            caps.add(AioCapability.MULTISHOT_ACCEPT);
        }
        return Collections.unmodifiableSet(caps);
    }
}
