package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
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
 *
 * <p>Besides {@link #ops}, each test gets a shared {@link #arena} for its buffers (closed after {@link #ops}),
 * a temporary directory, and helpers that submit an operation and wait for its result. Every
 * {@link AioCompletionRecorder} made with {@link #recorder()} is checked after the instance is closed: none may
 * have been called more than once.
 */
public abstract class AioContract {

    /** How long a test waits for one completion before it fails: generous, for loaded machines. */
    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** The loopback address every socket test uses. */
    protected static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * The system property that runs the suite on a member of a group instead of a lone instance: {@code true}
     * opens a group of two with {@link AioProvider#openGroup} and tests its second member (so that nothing of the
     * first member, the one a group may treat specially, is taken for granted), closing the group after the test.
     */
    public static final String GROUP_MEMBER_PROPERTY = "aioops.tck.groupMember";

    /** The group {@link #ops} belongs to when the suite runs on a group member, else null. */
    protected AioGroup group;

    /** The instance under test, opened before each test and closed after it. */
    protected AioOperations ops;

    /** A shared arena for the test's buffers; closed after {@link #ops}, so after every completion ran. */
    protected Arena arena;

    /** A fresh directory for the test's files. */
    @TempDir
    protected Path tempDir;

    private final List<AioCompletionRecorder<?>> recorders = new ArrayList<>();

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
        arena = Arena.ofShared();
        if (Boolean.getBoolean(GROUP_MEMBER_PROPERTY)) {
            group = provider.openGroup(config(), 2);
            ops = group.member(1);
        } else {
            ops = provider.open(config());
        }
    }

    /**
     * Closes {@link #ops}, then the arena, and checks that no recorder was called twice.
     */
    @AfterEach
    protected void closeOperations() {
        try {
            if (ops != null) {
                ops.close();
            }
            if (group != null) {
                group.close();
            }
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
        for (AioCompletionRecorder<?> r : recorders) {
            assertThat(r.calls()).as("completion calls of %s", r).isLessThanOrEqualTo(1);
        }
    }

    /**
     * A submission to wait for: submits one operation with the given completion.
     */
    @FunctionalInterface
    protected interface Submission {
        /**
         * Submits the operation.
         *
         * @param completion the completion to pass to the submitting method
         * @return the token the submitting method returned
         */
        long submit(AioCompletion<Object> completion);
    }

    /**
     * A recorder bound to {@link #ops}, checked for double calls after the test.
     *
     * @param <A> the attachment type
     * @return a new recorder
     */
    protected <A> AioCompletionRecorder<A> recorder() {
        AioCompletionRecorder<A> r = new AioCompletionRecorder<>(ops);
        recorders.add(r);
        return r;
    }

    /**
     * Submits an operation and waits for its result.
     *
     * @param submission what to submit
     * @return the completion's result
     */
    protected int call(Submission submission) {
        AioCompletionRecorder<Object> r = recorder();
        submission.submit(r);
        return r.await();
    }

    /**
     * Opens a file and asserts that it worked.
     *
     * @param path    the file
     * @param options the options
     * @return the handle
     */
    protected int open(Path path, AioOpenOption... options) {
        Set<AioOpenOption> set = options.length == 0 ? Set.of() : EnumSet.of(options[0], options);
        int handle = call(c -> ops.open(path, set, null, c));
        assertThat(handle).as("open %s %s: %s", path, set, AioCompletionRecorder.describe(handle))
                .isGreaterThanOrEqualTo(0);
        return handle;
    }

    /**
     * Creates an eventfd and asserts that it worked.
     *
     * @param initialValue the counter's initial value
     * @return the handle
     */
    protected int eventfd(long initialValue) {
        int handle = call(c -> ops.eventfd(initialValue, null, c));
        assertThat(handle).as("eventfd: %s", AioCompletionRecorder.describe(handle)).isGreaterThanOrEqualTo(0);
        return handle;
    }

    /**
     * Listens on an ephemeral loopback port and asserts that it worked.
     *
     * @return the listening handle
     */
    protected int listen() {
        int handle = call(c -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 128, null, c));
        assertThat(handle).as("listen: %s", AioCompletionRecorder.describe(handle)).isGreaterThanOrEqualTo(0);
        return handle;
    }

    /**
     * The loopback address a listening handle is bound to.
     *
     * @param listenHandle a handle from {@link #listen()}
     * @return its address
     */
    protected InetSocketAddress addressOf(int listenHandle) {
        try {
            return (InetSocketAddress) ops.localAddress(listenHandle);
        } catch (java.io.IOException e) {
            throw new AssertionError("localAddress(" + listenHandle + ") failed", e);
        }
    }

    /**
     * A connected pair of socket handles of {@link #ops}.
     *
     * @return {@code {client, server}}
     */
    protected int[] connectedPair() {
        int listener = listen();
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, null, accepted);
        int client = call(c -> ops.connect(addressOf(listener), null, c));
        int server = accepted.await();
        assertThat(client).as("connect: %s", AioCompletionRecorder.describe(client)).isGreaterThanOrEqualTo(0);
        assertThat(server).as("accept: %s", AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
        assertThat(call(c -> ops.close(listener, null, c))).isZero();
        return new int[] {client, server};
    }

    /**
     * A native buffer of {@link #arena} holding a string's UTF-8 bytes.
     *
     * @param text the contents
     * @return a segment of exactly those bytes
     */
    protected MemorySegment bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(b.length);
        MemorySegment.copy(b, 0, segment, ValueLayout.JAVA_BYTE, 0, b.length);
        return segment;
    }

    /**
     * The first {@code length} bytes of a segment as UTF-8 text.
     *
     * @param segment the segment
     * @param length  how many bytes
     * @return the text
     */
    protected static String text(MemorySegment segment, int length) {
        return new String(segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * A segment filled with a deterministic pattern that differs at every byte offset modulo 251.
     *
     * @param size the size in bytes
     * @param seed varies the pattern
     * @return the segment, from {@link #arena}
     */
    protected MemorySegment pattern(long size, int seed) {
        MemorySegment segment = arena.allocate(size, 4096);
        for (long i = 0; i < size; i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, patternByte(i, seed));
        }
        return segment;
    }

    /**
     * The byte of {@link #pattern} at an offset.
     *
     * @param offset the offset
     * @param seed   the pattern's seed
     * @return the byte
     */
    protected static byte patternByte(long offset, int seed) {
        return (byte) ((offset + seed) % 251);
    }
}
