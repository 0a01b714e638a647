package dev.aioops.spi;

import dev.aioops.spi.internal.MemberGroup;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The application's entry point: finds the adapters on the class or module path and opens the one chosen.
 *
 * <p><b>Choice.</b> The adapter named by the system property {@value #ADAPTER_PROPERTY} or, when that is not
 * set, the environment variable {@value #ADAPTER_ENV}; else the available adapter with the highest
 * {@link AioProvider#priority()} (io_uring, then the NIO selector, then Vert.x). A named adapter that is not
 * available falls back to the best available one with a warning saying why; an unknown name is a
 * configuration error. The choice, and why each better adapter was not available, is logged on the
 * {@code dev.aioops} {@link System.Logger}.
 *
 * <p>All methods are thread-safe.
 */
public final class Aio {

    /** The system property that names the adapter to use, such as {@code -Daioops.adapter=epoll}. */
    public static final String ADAPTER_PROPERTY = "aioops.adapter";

    /** The environment variable read when {@value #ADAPTER_PROPERTY} is not set. */
    public static final String ADAPTER_ENV = "AIOOPS_ADAPTER";

    private static final System.Logger LOG = System.getLogger("dev.aioops");

    private Aio() {
    }

    /**
     * Opens the chosen adapter with the default configuration.
     *
     * @return a running instance; the caller owns it and closes it
     * @throws IllegalStateException if no adapter is available (the message says why for each), or the named
     *                               adapter is unknown
     */
    public static AioOperations open() {
        return open(AioConfig.defaults());
    }

    /**
     * Opens the chosen adapter.
     *
     * <p>When the chosen adapter is available but its {@code open} fails (the availability probe passed, the
     * full setup did not), the next available adapter is opened instead and the failure is logged as a warning.
     *
     * @param config the configuration
     * @return a running instance; the caller owns it and closes it
     * @throws IllegalStateException if no adapter is available or none could be opened (the message and its
     *                               suppressed exceptions say why for each), or the named adapter is unknown
     */
    public static AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        List<AioProvider> all = providers();
        return openFirstThatWorks(chooseAndLog(all), all, config);
    }

    /**
     * Opens a group of the chosen adapter with the default configuration and one member per available processor.
     *
     * @return a running group; the caller owns it and closes it
     * @throws IllegalStateException if no adapter is available, or the named adapter is unknown
     */
    public static AioGroup openGroup() {
        return openGroup(AioConfig.defaults());
    }

    /**
     * Opens a group of the chosen adapter with one member per available processor.
     *
     * @param config the configuration of every member
     * @return a running group; the caller owns it and closes it
     * @throws IllegalStateException if no adapter is available or none could be opened
     */
    public static AioGroup openGroup(AioConfig config) {
        return openGroup(config, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens a group ({@link AioGroup}) of {@code size} loops, choosing the adapter exactly as {@link #open(AioConfig)}
     * does (and logging the choice once, for the whole group): when the chosen adapter is available but its group
     * fails to open, the next available adapter's is opened instead.
     *
     * @param config the configuration of every member
     * @param size   how many members, from 1 to 4096
     * @return a running group; the caller owns it and closes it
     * @throws IllegalArgumentException if {@code size} is out of range
     * @throws IllegalStateException    if no adapter is available or none could be opened (the message and its
     *                                  suppressed exceptions say why for each), or the named adapter is unknown
     */
    public static AioGroup openGroup(AioConfig config, int size) {
        Objects.requireNonNull(config, "config");
        MemberGroup.checkSize(size);
        List<AioProvider> all = providers();
        return firstThatOpens(chooseAndLog(all), all, p -> p.openGroup(config, size));
    }

    /**
     * Opens {@code chosen}, or when its {@code open} fails (a probe can pass where the full setup does not: a
     * larger ring over a memlock limit, {@code ENOMEM}), the next available provider, logging each failure.
     *
     * @param chosen    the selected provider, tried first
     * @param providers every provider, best first
     * @param config    the configuration
     * @return the first instance that opened
     * @throws IllegalStateException if none opened; each failure is attached as suppressed
     */
    static AioOperations openFirstThatWorks(AioProvider chosen, List<AioProvider> providers, AioConfig config) {
        return firstThatOpens(chosen, providers, p -> p.open(config));
    }

    private static <T> T firstThatOpens(AioProvider chosen, List<AioProvider> providers,
                                        Function<AioProvider, T> opener) {
        List<AioProvider> order = new ArrayList<>();
        order.add(chosen);
        for (AioProvider p : providers) {
            if (p != chosen && p.isAvailable()) {
                order.add(p);
            }
        }
        IllegalStateException none = null;
        for (int i = 0; i < order.size(); i++) {
            AioProvider p = order.get(i);
            try {
                return opener.apply(p);
            } catch (RuntimeException failed) {
                String next = i + 1 < order.size() ? "; trying '" + order.get(i + 1).name() + "'" : "";
                LOG.log(Level.WARNING, "aioops: adapter '" + p.name() + "' is available but failed to open: "
                        + describe(failed) + next, failed);
                if (none == null) {
                    none = new IllegalStateException("no aioops adapter could be opened; tried "
                            + order.stream().map(AioProvider::name).toList());
                }
                none.addSuppressed(failed);
            }
        }
        throw none;
    }

    /**
     * The adapter {@link #open()} would use, logging the choice.
     *
     * @return the chosen, available provider
     * @throws IllegalStateException if no adapter is available, or the named adapter is unknown
     */
    public static AioProvider provider() {
        return chooseAndLog(providers());
    }

    private static AioProvider chooseAndLog(List<AioProvider> providers) {
        Selection selection = select(requestedAdapter(), providers);
        LOG.log(selection.fellBack() ? Level.WARNING : Level.INFO, selection.explanation());
        return selection.provider();
    }

    /**
     * Every adapter found, available or not, best first.
     *
     * @return the providers, highest priority first
     */
    public static List<AioProvider> providers() {
        List<AioProvider> found = new ArrayList<>();
        var iterator = ServiceLoader.load(AioProvider.class).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                found.add(iterator.next());
            } catch (ServiceConfigurationError broken) {
                LOG.log(Level.WARNING, "skipping an aioops adapter that cannot be loaded", broken);
            }
        }
        found.sort(Comparator.comparingInt(AioProvider::priority).reversed());
        return List.copyOf(found);
    }

    /**
     * The adapter of a given name, available or not.
     *
     * @param name an adapter name such as {@code "uring"}
     * @return the provider, or empty if none of that name is on the path
     */
    public static Optional<AioProvider> provider(String name) {
        Objects.requireNonNull(name, "name");
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static String requestedAdapter() {
        String name = System.getProperty(ADAPTER_PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ADAPTER_ENV);
        }
        return name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Picks a provider.
     *
     * @param requested the requested name, or null
     * @param providers candidates, best first
     */
    static Selection select(String requested, List<AioProvider> providers) {
        List<String> unavailable = new ArrayList<>();
        AioProvider best = null;
        AioProvider named = null;
        for (AioProvider p : providers) {
            if (p.name().equals(requested)) {
                named = p;
            }
            if (p.isAvailable()) {
                if (best == null) {
                    best = p;
                }
            } else {
                unavailable.add(p.name() + ": " + describe(p.unavailabilityCause()));
            }
        }
        if (requested != null && named == null) {
            throw new IllegalStateException("aioops adapter '" + requested + "' (from -D" + ADAPTER_PROPERTY
                    + " or " + ADAPTER_ENV + ") is not on the class or module path; found: "
                    + providers.stream().map(AioProvider::name).toList());
        }
        if (best == null) {
            throw new IllegalStateException("no aioops adapter is available"
                    + (providers.isEmpty() ? ": none is on the class or module path (add aioops-epoll-adapter)"
                    : "; " + String.join("; ", unavailable)));
        }
        if (named != null && named.isAvailable()) {
            return new Selection(named, false, "aioops: using adapter '" + named.name() + "', as requested");
        }
        String others = unavailable.isEmpty() ? "" : " (not available: " + String.join("; ", unavailable) + ")";
        if (named != null) {
            return new Selection(best, true, "aioops: adapter '" + named.name() + "' was requested but is not "
                    + "available: " + describe(named.unavailabilityCause()) + "; using '" + best.name()
                    + "' instead");
        }
        return new Selection(best, false, "aioops: using adapter '" + best.name() + "', the best available"
                + others);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /**
     * The outcome of {@link #select}.
     *
     * @param provider    the chosen provider
     * @param fellBack    whether a requested adapter was replaced by another
     * @param explanation the log line saying what was chosen and why
     */
    record Selection(AioProvider provider, boolean fellBack, String explanation) {
    }
}
