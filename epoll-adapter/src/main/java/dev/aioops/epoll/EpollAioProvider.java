package dev.aioops.epoll;

import dev.aioops.epoll.internal.EpollAioOperations;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.Objects;

/**
 * The {@code "epoll"} adapter: {@link AioOperations} on a {@code java.nio} {@link Selector} (epoll on Linux)
 * with a bounded thread pool for file I/O, as {@code AsynchronousFileChannel} does. Priority 200: chosen when
 * io_uring is not available. Available wherever a selector can be opened.
 *
 * <p><b>Settings read</b> from {@link AioConfig}: threading, threadName, daemon, bufferCount and bufferSize,
 * fileThreads, closeTimeout, errorHandler. {@code queueDepth}, {@code maxKernelWorkers} and {@code sqPoll} have
 * no meaning here.
 *
 * <p><b>Capabilities:</b> {@link dev.aioops.spi.AioCapability#DIRECT_IO} (through the JDK's
 * {@code ExtendedOpenOption.DIRECT}); host-driven use with {@link AioOperations#runOnce} works, but there is no
 * notification fd ({@link AioOperations#notificationFd()} is -1).
 *
 * <p><b>Where the contract leaves room</b>, this adapter behaves as follows:
 * <ul>
 *   <li>Reads and writes at {@link AioOperations#STREAM} on one file, several in flight, run on several pool
 *       threads and take the position in no defined order (as with io_uring).</li>
 *   <li>{@code READ + WRITE + APPEND}, which {@code FileChannel} refuses, is emulated: each write of the handle
 *       goes to the current end of the file, serialised within this instance. {@code APPEND} without
 *       {@code WRITE} is ignored (the handle is read-only). {@code CREATE}/{@code CREATE_NEW} without
 *       {@code WRITE} create the file, as {@code open(2)} does.</li>
 *   <li>An 8-byte eventfd write that would overflow the counter completes with {@code -EAGAIN} (a blocking
 *       eventfd would wait; the loop cannot).</li>
 *   <li>A buffer of a confined arena is accessed through its address from the loop or a file thread. That
 *       needs native access for this module ({@code --enable-native-access=dev.aioops.epoll}, or
 *       {@code ALL-UNNAMED} on the class path); without it the JDK prints a warning once. Buffers of shared or
 *       global arenas, and {@link AioOperations#buffers()}, need nothing.</li>
 *   <li>A file operation whose pool thread is still inside its system call when {@link AioOperations#close()}
 *       stops waiting ({@link AioConfig#closeTimeout()}; a read of a hung network file system, say) is reported
 *       in one {@link dev.aioops.spi.AioCloseTimeoutException} to the error handler and stays pending: it
 *       completes once, with its real result, <b>on that file-pool thread</b> when the system call returns,
 *       after {@code close()} has returned (one such late completion at a time). Its file is closed then, and
 *       the buffer pool of {@link AioOperations#buffers()} is freed when the last of them is back.</li>
 *   <li>A buffer of a shared or global arena is passed to {@code FileChannel} and {@code SocketChannel} as a
 *       {@code ByteBuffer} of that segment, so the JDK refuses to close its arena while a call uses it
 *       ({@code IllegalStateException}). A buffer of a confined arena, used through its address (above), has no
 *       such protection: its owner thread must keep it open until the completion.</li>
 *   <li>Handles carry a per-instance generation, so a closed handle, or one of another instance, is almost
 *       always unknown ({@code -EBADF}) rather than naming a newer resource.</li>
 * </ul>
 *
 * <p><b>Groups</b> ({@link #openGroup}, the spi's default): independent members, each with its selector thread
 * (named {@code aioops-epoll-<n>}, or {@link AioConfig#threadName()} with {@code -<index>} appended) and its own
 * file pool of {@link AioConfig#fileThreads()} threads ({@code aioops-epoll-<n>-file-<k>}). The pools are kept per
 * member rather than shared: their threads start on demand and end after 30 idle seconds, so an idle member costs
 * none; and a member's close waits for, and leaves {@link dev.aioops.spi.AioCloseTimeoutException stragglers} on,
 * its own pool only, which a shared pool would entangle with the other members' file work. A cross-member
 * {@link AioOperations#execute} is the target member's inbox and selector wake-up, as from any foreign thread.
 *
 * <p>Thread-safe and cheap to construct; the availability check runs once per process.
 */
public final class EpollAioProvider implements AioProvider {

    /** The adapter name, for {@code -Daioops.adapter=epoll}. */
    public static final String NAME = "epoll";

    /** Creates the provider; {@link java.util.ServiceLoader} does this. */
    public EpollAioProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public boolean isAvailable() {
        return Availability.CAUSE == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return Availability.CAUSE;
    }

    @Override
    public AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        if (Availability.CAUSE != null) {
            throw new IllegalStateException("the epoll adapter is not available: " + Availability.CAUSE.getMessage(),
                    Availability.CAUSE);
        }
        return EpollAioOperations.open(config);
    }

    @Override
    public String toString() {
        return "EpollAioProvider[available=" + isAvailable() + "]";
    }

    /** Checked once: can this JVM open a selector? */
    private static final class Availability {
        static final Throwable CAUSE = check();

        private static Throwable check() {
            try (Selector probe = Selector.open()) {
                return probe.isOpen() ? null : new IllegalStateException("a java.nio Selector could not be opened");
            } catch (IOException | RuntimeException e) {
                return new IllegalStateException("a java.nio Selector could not be opened: " + e, e);
            }
        }
    }
}
