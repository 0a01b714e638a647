package dev.aioops.vthreads;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class CloseGuardTest {

    private final CloseGuard guard = new CloseGuard();

    @Test
    void a_close_waits_for_the_direct_call_inside_and_lets_none_in_meanwhile() throws Exception {
        int handle = 7 | 3 << 20;
        assertThat(guard.enter(handle)).isTrue();
        Thread closer = Thread.ofVirtual().start(() -> guard.closing(handle));
        // The closer announces itself before it waits: from then on no direct call enters on the stripe.
        while (guard.enter(handle)) {
            guard.exit(handle);
            Thread.onSpinWait();
        }
        assertThat(closer.isAlive()).as("closing returns only once the call inside has left").isTrue();
        guard.exit(handle);
        closer.join();
        assertThat(guard.enter(handle)).as("still closing until closed()").isFalse();
        guard.closed(handle);
        assertThat(guard.enter(handle)).isTrue();
        guard.exit(handle);
    }

    @Test
    void closes_waiting_on_a_stripe_leave_the_carriers_to_the_call_inside() throws Exception {
        int handle = 11;
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // The call inside needs a carrier to leave (as one whose carrier the OS descheduled, or that is unmounted).
        Thread inside = Thread.ofVirtual().start(() -> {
            assertThat(guard.enter(handle)).isTrue();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            guard.exit(handle);
        });
        entered.await();
        int closers = 4 * Runtime.getRuntime().availableProcessors();
        java.util.List<Thread> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < closers; i++) {
            waiting.add(Thread.ofVirtual().start(() -> {
                guard.closing(handle);
                guard.closed(handle);
            }));
        }
        while (guard.enter(handle)) { // the closers have announced themselves once no call enters
            guard.exit(handle);
            Thread.onSpinWait();
        }
        release.countDown();
        inside.join();
        for (Thread t : waiting) {
            t.join();
        }
        assertThat(guard.enter(handle)).isTrue();
        guard.exit(handle);
    }

    @Test
    void calls_on_other_stripes_are_not_held_up_by_a_close() {
        int closing = 7;
        int other = -1;
        for (int h = 8; other < 0; h++) {
            guard.closing(closing);
            if (guard.enter(h)) {
                other = h;
                guard.exit(h);
            }
            guard.closed(closing);
        }
        guard.closing(closing);
        assertThat(guard.enter(closing)).isFalse();
        assertThat(guard.enter(other)).isTrue();
        guard.exit(other);
        guard.closed(closing);
    }
}
