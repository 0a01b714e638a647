package dev.aioops.spi;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link AioOperations} is set up: sizes, threads and the error handler. Immutable and safe to share;
 * build one with {@link #builder()} or take {@link #defaults()}. Each adapter reads the settings that apply
 * to it and says in its javadoc which those are.
 */
public final class AioConfig {

    /** Who runs the loop of an {@link AioOperations}. */
    public enum Threading {
        /** The instance starts a thread of its own that runs the loop until {@link AioOperations#close()}. */
        OWN_THREAD,
        /**
         * The host drives the loop by calling {@link AioOperations#runOnce(long)} from one thread of its own,
         * for example from inside a foreign event loop that polls {@link AioOperations#notificationFd()}. Only
         * adapters with {@link AioCapability#HOST_DRIVEN}; the others refuse it when opened.
         */
        HOST_DRIVEN
    }

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final AioConfig DEFAULTS = builder().build();

    private final Threading threading;
    private final String threadName;
    private final boolean daemon;
    private final int queueDepth;
    private final int bufferCount;
    private final int bufferSize;
    private final int receiveBufferCount;
    private final int receiveBufferSize;
    private final int fileThreads;
    private final int maxKernelWorkers;
    private final boolean sqPoll;
    private final Duration closeTimeout;
    private final Consumer<Throwable> errorHandler;

    private AioConfig(Builder b) {
        this.threading = b.threading;
        this.threadName = b.threadName;
        this.daemon = b.daemon;
        this.queueDepth = b.queueDepth;
        this.bufferCount = b.bufferCount;
        this.bufferSize = b.bufferSize;
        this.receiveBufferCount = b.receiveBufferCount;
        this.receiveBufferSize = b.receiveBufferSize;
        this.fileThreads = b.fileThreads;
        this.maxKernelWorkers = b.maxKernelWorkers;
        this.sqPoll = b.sqPoll;
        this.closeTimeout = b.closeTimeout;
        this.errorHandler = b.errorHandler;
    }

    /**
     * The configuration every setting of which has its default.
     *
     * @return the shared default configuration
     */
    public static AioConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A builder preset with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset with this configuration's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.threading = threading;
        b.threadName = threadName;
        b.daemon = daemon;
        b.queueDepth = queueDepth;
        b.bufferCount = bufferCount;
        b.bufferSize = bufferSize;
        b.receiveBufferCount = receiveBufferCount;
        b.receiveBufferSize = receiveBufferSize;
        b.fileThreads = fileThreads;
        b.maxKernelWorkers = maxKernelWorkers;
        b.sqPoll = sqPoll;
        b.closeTimeout = closeTimeout;
        b.errorHandler = errorHandler;
        return b;
    }

    /**
     * Who runs the loop. Default {@link Threading#OWN_THREAD}.
     *
     * @return the threading mode
     */
    public Threading threading() {
        return threading;
    }

    /**
     * The name of the loop thread in {@link Threading#OWN_THREAD} mode; null lets the adapter name it
     * ({@code aioops-<adapter>-<n>}). Default null.
     *
     * @return the thread name, or null
     */
    public String threadName() {
        return threadName;
    }

    /**
     * Whether the loop thread (and any file thread) is a daemon thread, like the threads of the JDK's
     * default {@code AsynchronousChannelGroup}. Default {@code true}.
     *
     * @return {@code true} for daemon threads
     */
    public boolean daemon() {
        return daemon;
    }

    /**
     * How many operations one loop turn hands to the kernel at most: the io_uring submission queue size
     * (the completion queue is at least twice as large). More may be in flight; a full queue is flushed, not
     * dropped. A power of two from 1 to 32768. Default 256.
     *
     * @return the submission queue depth
     */
    public int queueDepth() {
        return queueDepth;
    }

    /**
     * How many adapter-owned buffers {@link AioOperations#buffers()} holds; 0 for none. Default 64.
     *
     * @return the number of pooled buffers
     */
    public int bufferCount() {
        return bufferCount;
    }

    /**
     * The size in bytes of each adapter-owned buffer, a multiple of 4096. Default 65536.
     *
     * @return the pooled buffer size
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * The size of the bounded thread pool that adapters without pool-free file I/O use for files (the epoll
     * adapter, like {@code AsynchronousFileChannel}). Default {@code max(4, 2 * cores)}.
     *
     * @return the number of file threads
     */
    public int fileThreads() {
        return fileThreads;
    }

    /**
     * The cap on io_uring's kernel worker threads, applied to the bounded and the unbounded class alike
     * ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}). Default {@code max(4, 2 * cores)}.
     *
     * @return the maximum number of kernel workers per class
     */
    public int maxKernelWorkers() {
        return maxKernelWorkers;
    }

    /**
     * Whether io_uring runs a kernel thread polling the submission queue ({@code IORING_SETUP_SQPOLL}). It
     * saves the submitting system call and burns a core; off unless asked for. Default {@code false}.
     *
     * @return {@code true} to use SQPOLL
     */
    public boolean sqPoll() {
        return sqPoll;
    }

    /**
     * How long {@link AioOperations#close()} waits for the kernel to give back every buffer before it gives up
     * and leaks the memory still in the kernel's hands (it never frees it). Default 10 seconds.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Receives what a completion or an {@link AioOperations#execute executed} task throws; called on the loop
     * thread, after which the loop carries on. Default: logs on the {@code dev.aioops} {@link System.Logger} at
     * {@code ERROR}.
     *
     * @return the error handler
     */
    public Consumer<Throwable> errorHandler() {
        return errorHandler;
    }

    /**
     * How many buffers the receive stream ({@link AioReceiveOperations}) shares among all of an instance's
     * connections. Default 256. They are allocated on the first {@link AioReceiveOperations#receiveChunks}, not
     * at open; together they bound the memory that received data may occupy: when every one of them holds data
     * the library has kept, the streams pause until it releases some. Where the streams are emulated (without
     * {@link AioCapability#PROVIDED_BUFFERS}) each running stream holds one more buffer of this size for its read,
     * so that streams waiting for data never starve the others.
     *
     * @return the number of receive buffers, a power of two
     */
    public int receiveBufferCount() {
        return receiveBufferCount;
    }

    /**
     * The size of each receive buffer: the most one chunk carries. Default 16 KiB. On io_uring with incremental
     * buffer consumption (Linux 6.12) a buffer is filled by several receives, each taking what it needs, so a
     * 64-byte message occupies 64 bytes of it, not the whole buffer.
     *
     * @return the size in bytes
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public String toString() {
        return "AioConfig[threading=" + threading + ", queueDepth=" + queueDepth + ", buffers=" + bufferCount
                + "x" + bufferSize + ", receiveBuffers=" + receiveBufferCount + "x" + receiveBufferSize
                + ", fileThreads=" + fileThreads + ", maxKernelWorkers=" + maxKernelWorkers
                + ", sqPoll=" + sqPoll + ", closeTimeout=" + closeTimeout + "]";
    }

    private static void logError(Throwable error) {
        LOG.log(Level.ERROR, "a completion or task threw; the loop carries on", error);
    }

    /** Builds an {@link AioConfig}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private Threading threading = Threading.OWN_THREAD;
        private String threadName;
        private boolean daemon = true;
        private int queueDepth = 256;
        private int bufferCount = 64;
        private int bufferSize = 64 * 1024;
        private int receiveBufferCount = 256;
        private int receiveBufferSize = 16 * 1024;
        private int fileThreads = Math.max(4, 2 * CORES);
        private int maxKernelWorkers = Math.max(4, 2 * CORES);
        private boolean sqPoll;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Consumer<Throwable> errorHandler = AioConfig::logError;

        private Builder() {
        }

        /**
         * Sets {@link AioConfig#threading()}.
         *
         * @param threading who runs the loop
         * @return this builder
         */
        public Builder threading(Threading threading) {
            this.threading = Objects.requireNonNull(threading, "threading");
            return this;
        }

        /**
         * Sets {@link AioConfig#threadName()}.
         *
         * @param threadName the loop thread's name, or null for the adapter's choice
         * @return this builder
         */
        public Builder threadName(String threadName) {
            this.threadName = threadName;
            return this;
        }

        /**
         * Sets {@link AioConfig#daemon()}.
         *
         * @param daemon whether the adapter's threads are daemon threads
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Sets {@link AioConfig#queueDepth()}.
         *
         * @param queueDepth a power of two from 1 to 32768
         * @return this builder
         * @throws IllegalArgumentException if it is not
         */
        public Builder queueDepth(int queueDepth) {
            if (queueDepth < 1 || queueDepth > 32768 || Integer.bitCount(queueDepth) != 1) {
                throw new IllegalArgumentException("queueDepth must be a power of two from 1 to 32768, not "
                        + queueDepth);
            }
            this.queueDepth = queueDepth;
            return this;
        }

        /**
         * Sets {@link AioConfig#bufferCount()} and {@link AioConfig#bufferSize()}.
         *
         * @param count how many pooled buffers, 0 to 65536
         * @param size  the size of each, a positive multiple of 4096 up to 16 MiB
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder buffers(int count, int size) {
            if (count < 0 || count > 65536) {
                throw new IllegalArgumentException("buffer count must be from 0 to 65536, not " + count);
            }
            if (size <= 0 || size % 4096 != 0 || size > 16 << 20) {
                throw new IllegalArgumentException("buffer size must be a positive multiple of 4096 up to 16 MiB, not "
                        + size);
            }
            if ((long) count * size > 1L << 30) {
                throw new IllegalArgumentException("the buffer pool may hold at most 1 GiB, not " + count + " x "
                        + size + " bytes");
            }
            this.bufferCount = count;
            this.bufferSize = size;
            return this;
        }

        /**
         * Sets {@link AioConfig#receiveBufferCount()} and {@link AioConfig#receiveBufferSize()}.
         *
         * @param count how many receive buffers, a power of two from 2 to 32768 (the most a provided buffer ring
         *              holds)
         * @param size  the size of each, from 1 KiB to 1 MiB
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder receiveBuffers(int count, int size) {
            if (count < 2 || count > 32768 || Integer.bitCount(count) != 1) {
                throw new IllegalArgumentException("receive buffer count must be a power of two from 2 to 32768, not "
                        + count);
            }
            if (size < 1024 || size > 1 << 20) {
                throw new IllegalArgumentException("receive buffer size must be from 1 KiB to 1 MiB, not " + size);
            }
            if ((long) count * size > 1L << 30) {
                throw new IllegalArgumentException("the receive buffers may hold at most 1 GiB, not " + count + " x "
                        + size + " bytes");
            }
            this.receiveBufferCount = count;
            this.receiveBufferSize = size;
            return this;
        }

        /**
         * Sets {@link AioConfig#fileThreads()}.
         *
         * @param fileThreads from 1 to 1024
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder fileThreads(int fileThreads) {
            if (fileThreads < 1 || fileThreads > 1024) {
                throw new IllegalArgumentException("fileThreads must be from 1 to 1024, not " + fileThreads);
            }
            this.fileThreads = fileThreads;
            return this;
        }

        /**
         * Sets {@link AioConfig#maxKernelWorkers()}.
         *
         * @param maxKernelWorkers from 1 to 4096
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxKernelWorkers(int maxKernelWorkers) {
            if (maxKernelWorkers < 1 || maxKernelWorkers > 4096) {
                throw new IllegalArgumentException("maxKernelWorkers must be from 1 to 4096, not " + maxKernelWorkers);
            }
            this.maxKernelWorkers = maxKernelWorkers;
            return this;
        }

        /**
         * Sets {@link AioConfig#sqPoll()}.
         *
         * @param sqPoll whether to use a kernel submission-polling thread
         * @return this builder
         */
        public Builder sqPoll(boolean sqPoll) {
            this.sqPoll = sqPoll;
            return this;
        }

        /**
         * Sets {@link AioConfig#closeTimeout()}.
         *
         * @param closeTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, not " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Sets {@link AioConfig#errorHandler()}.
         *
         * @param errorHandler receives what completions and tasks throw; must not throw itself
         * @return this builder
         */
        public Builder errorHandler(Consumer<Throwable> errorHandler) {
            this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return a new immutable configuration
         */
        public AioConfig build() {
            return new AioConfig(this);
        }
    }
}
