package dev.aioops.epoll.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operation handed over from another thread starts on the loop, where nobody waits on the call: if its driver
 * throws (here: an eventfd write whose buffer is missing, as a bug would leave it), the operation must complete
 * once, at once, with an errno, and the loop must carry on. Before the fix the operation stayed pending until the
 * instance closed.
 */
class EpollSubmissionFailureTest {

    @Test
    void anOperationWhoseStartThrowsCompletesOnceAndTheLoopCarriesOn() throws Exception {
        CopyOnWriteArrayList<Throwable> reported = new CopyOnWriteArrayList<>();
        try (EpollAioOperations ops = EpollAioOperations.open(AioConfig.builder().errorHandler(reported::add)
                .build())) {
            int eventfd = await(ops, c -> ops.eventfd(0, null, (r, a) -> c.complete(r)));

            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Op broken = new Op(ops.loop()).init(Op.WRITE, 1L << 40, eventfd, null, (r, a) -> {
                calls.incrementAndGet();
                result.complete(r);
            });
            broken.offset = AioOperations.STREAM;
            ops.loop().submit(broken);

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(-AioErrno.EIO);
            CompletableFuture<Boolean> stillRunning = new CompletableFuture<>();
            ops.execute(() -> stillRunning.complete(ops.inLoop()));
            assertThat(stillRunning.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(reported).singleElement().isInstanceOf(NullPointerException.class);
        }
    }

    private interface Submit {
        void to(CompletableFuture<Integer> completion) throws Exception;
    }

    private static int await(EpollAioOperations ops, Submit submit) throws Exception {
        CompletableFuture<Integer> completion = new CompletableFuture<>();
        submit.to(completion);
        int result = completion.get(10, TimeUnit.SECONDS);
        assertThat(result).as("result").isNotNegative();
        return result;
    }
}
