package dev.aioops.crossadapter;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.uring.internal.UringAvailability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real io_uring adapter passes its probe but its {@code open} fails (the kernel refuses a ring larger than the
 * probe's, as a memory limit would): {@link Aio#open(AioConfig)} opens the epoll adapter instead and logs why.
 */
@Timeout(60)
class UringOpenFailureFallbackTest {

    private final Logger log = Logger.getLogger("dev.aioops");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void clear() {
        System.clearProperty(UringAvailability.SIMULATE_SETUP_PROPERTY);
        log.removeHandler(capture);
    }

    @Test
    void aRingTheKernelRefusesAtOpenFallsBackToEpollWithTheReasonLogged() {
        // Rings of 8192 CQ entries or more fail with ENOMEM; the probe's default ring (4096) does not.
        System.setProperty(UringAvailability.SIMULATE_SETUP_PROPERTY, "ENOMEM:8192");
        log.addHandler(capture);
        assertThat(Aio.provider().name()).as("io_uring passed its probe").isEqualTo("uring");
        try (AioOperations ops = Aio.open(AioConfig.builder().queueDepth(4096).build())) {
            assertThat(ops.adapterName()).isEqualTo("epoll");
        }
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("'uring'", "failed to open", "4096 SQ and 8192 CQ entries",
                    "ENOMEM", "trying 'epoll'");
        });
    }
}
