package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.DatagramChecks;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The datagram submissions of {@link UringAioOperations} ({@link RingDatagramOperations}): checked, then submitted
 * at once on the loop or, from another thread, replayed there through a {@link RemoteRequest} whose replay captures
 * nothing. A send's target length is read here, on the submitting thread, which may access the holder's memory
 * when it comes from a confined arena (the loop only hands its address to the kernel). Any thread.
 */
final class UringDatagrams extends SubmissionGroup {

    UringDatagrams(UringLoop loop) {
        super(loop);
    }

    long open(InetSocketAddress bind, InetSocketAddress connectTo, Object attachment, AioCompletion<?> completion) {
        DatagramChecks.open(bind, connectTo);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.datagrams().open(bind, connectTo, attachment, erase(completion), 0);
        }
        return remote(new RemoteRequest((o, r) -> {
            InetSocketAddress[] addresses = (InetSocketAddress[]) r.argument;
            return o.datagrams().open(addresses[0], addresses[1], r.attachment, r.completion, r.token);
        }, -1, null, 0, new InetSocketAddress[] {bind, connectTo}, attachment, erase(completion)));
    }

    long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, Object attachment,
                AioCompletion<?> completion) {
        DatagramChecks.send(buffer, target);
        Checks.completion(completion);
        checkOpen();
        int targetLength = target == null ? 0 : target.length();
        if (loop.onLoop()) {
            return ops.datagrams().sendTo(handle, buffer, target, targetLength, attachment, erase(completion), 0);
        }
        return remote(new RemoteRequest((o, r) -> o.datagrams().sendTo(r.handle, r.buffer,
                (AioSocketAddress) r.argument, (int) r.value, r.attachment, r.completion, r.token),
                handle, buffer, targetLength, target, attachment, erase(completion)));
    }

    long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos, Object attachment,
                 AioCompletion<?> completion) {
        DatagramChecks.receive(buffer, sender, timeoutNanos);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.datagrams().receive(handle, buffer, sender, timeoutNanos, attachment, erase(completion), 0);
        }
        return remote(new RemoteRequest((o, r) -> o.datagrams().receive(r.handle, r.buffer,
                (AioSocketAddress) r.argument, r.timeoutNanos, r.attachment, r.completion, r.token),
                handle, buffer, 0, timeoutNanos, sender, attachment, erase(completion)));
    }
}
