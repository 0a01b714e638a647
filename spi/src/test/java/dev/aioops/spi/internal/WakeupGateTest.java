package dev.aioops.spi.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The single-threaded rules of the handshake; the races are proven by jcstress in concurrency-tests. */
class WakeupGateTest {

    private final WakeupGate gate = new WakeupGate();

    @Test
    void anAwakeLoopNeedsNoWakeup() {
        assertThat(gate.claimWakeup()).isFalse();
        assertThat(gate.isSleeping()).isFalse();
    }

    @Test
    void exactlyOneProducerClaimsASleep() {
        gate.prepareSleep();

        assertThat(gate.claimWakeup()).isTrue();
        assertThat(gate.claimWakeup()).isFalse();
        assertThat(gate.awake()).isFalse();
    }

    @Test
    void aCancelledSleepNeedsNoWakeup() {
        gate.prepareSleep();

        assertThat(gate.cancelSleep()).isFalse();
        assertThat(gate.claimWakeup()).isFalse();
    }

    @Test
    void cancellingAClaimedSleepReportsTheSignalOnItsWay() {
        gate.prepareSleep();
        gate.claimWakeup();

        assertThat(gate.cancelSleep()).isTrue();
    }

    @Test
    void eachSleepCanBeClaimedAgain() {
        for (int i = 0; i < 3; i++) {
            gate.prepareSleep();
            assertThat(gate.claimWakeup()).isTrue();
            gate.awake();
        }
    }
}
