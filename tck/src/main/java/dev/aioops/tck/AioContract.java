package dev.aioops.tck;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The base of every contract test class: opens a fresh {@link AioOperations} from the adapter's provider before
 * each test and closes it after. An adapter runs the suite with one thin subclass per contract class:
 *
 * <pre>{@code
 * class EpollFileContractTest extends FileContract {
 *     @Override
 *     protected AioProvider provider() {
 *         return new EpollAioProvider();
 *     }
 * }
 * }</pre>
 *
 * A test is skipped only when the provider is not available in this process, with its cause as the reason.
 */
public abstract class AioContract {

    /** The instance under test, opened before each test and closed after it. */
    protected AioOperations ops;

    /** For subclasses. */
    protected AioContract() {
    }

    /**
     * The adapter under test.
     *
     * @return a provider; called once per test
     */
    protected abstract AioProvider provider();

    /**
     * The configuration each test opens its instance with; tests that need another open their own.
     *
     * @return the configuration, by default small pools and a short close timeout
     */
    protected AioConfig config() {
        return AioConfig.builder().buffers(8, 64 * 1024).build();
    }

    /**
     * Opens {@link #ops}, or skips the test when the adapter is not available here.
     */
    @BeforeEach
    protected void openOperations() {
        AioProvider provider = provider();
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available: "
                + provider.unavailabilityCause());
        ops = provider.open(config());
    }

    /**
     * Closes {@link #ops}.
     */
    @AfterEach
    protected void closeOperations() {
        if (ops != null) {
            ops.close();
        }
    }
}
