package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission handed over from another thread is replayed on the loop, where nobody waits on the call: if it
 * throws (a bug in an encoder, memory running out), the operation must still complete exactly once, with an
 * errno, and the loop must carry on. Before the fix the throw left the loop's turn, ended the loop and closed the
 * instance, and the operation's completion never ran.
 */
class UringSubmissionFailureTest {

    @Test
    void aReplayThatThrowsCompletesItsOperationAndTheLoopCarriesOn() throws Exception {
        CopyOnWriteArrayList<Throwable> reported = new CopyOnWriteArrayList<>();
        AioConfig config = AioConfig.builder().errorHandler(reported::add).build();
        try (UringAioOperations ops = UringAioOperations.open(config)) {
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Integer> result = new CompletableFuture<>();
            IllegalStateException bug = new IllegalStateException("an encoder bug");
            RemoteRequest request = new RemoteRequest((operations, r) -> {
                throw bug;
            }, 0, null, 0, null, "attachment", (res, attachment) -> {
                calls.incrementAndGet();
                result.complete(res);
            });

            ops.loop().inbox().submit(request);

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(-AioErrno.EIO);
            CompletableFuture<Boolean> stillRunning = new CompletableFuture<>();
            ops.execute(() -> stillRunning.complete(ops.inLoop()));
            assertThat(stillRunning.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(reported).containsExactly(bug);
        }
    }
}
