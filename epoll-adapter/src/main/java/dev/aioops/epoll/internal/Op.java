package dev.aioops.epoll.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioVector;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * One submitted operation, from submission to completion. Confined to the loop once it is there, except for
 * file operations: a file-pool thread claims one ({@link #claimForPool()}), performs it, and hands it back to
 * the loop through the inbox, which orders its writes before the loop's reads.
 */
final class Op implements Runnable {

    static final int READ = 1;
    static final int WRITE = 2;
    static final int FSYNC = 3;
    static final int OPEN = 4;
    static final int LISTEN = 5;
    static final int ACCEPT = 6;
    static final int CONNECT = 7;
    static final int CLOSE = 8;
    static final int EVENTFD = 9;
    static final int TIMEOUT = 10;
    static final int STAT = 11;
    static final int FSTAT = 12;
    static final int FDATASYNC = 13;
    static final int FTRUNCATE = 14;
    static final int FALLOCATE = 15;
    static final int UNLINK = 16;
    static final int RENAME = 17;
    static final int MKDIR = 18;
    static final int SHUTDOWN = 19;
    static final int DATAGRAM_OPEN = 20;
    static final int SEND_TO = 21;
    static final int RECEIVE = 22;
    static final int SENDFILE = 23;
    /** A wait for a socket's readiness to read, holding no buffer ({@link EpollReadiness}). */
    static final int AWAIT_READABLE = 24;

    /** Loop stages. */
    static final int NEW = 0;
    static final int PENDING = 1;
    static final int READY = 2;
    static final int DONE = 3;

    /** Pool states, for operations handed to the file pool. */
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    private static final VarHandle POOL_STATE;

    static {
        try {
            POOL_STATE = MethodHandles.lookup().findVarHandle(Op.class, "poolState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The loop a pool thread hands this operation back to. */
    final EpollLoop loop;
    int kind;
    long token;
    int handle;
    Object attachment;
    AioCompletion<Object> completion;

    MemorySegment buffer;
    /** The buffer of a socket transfer as NIO needs it, made on the first attempt. */
    ByteBuffer view;
    /** The segments of a vectored read or write, a {@link #READ} or {@link #WRITE} whose {@link #buffer} is null. */
    AioVector vector;
    /** {@link #vector}'s segments as NIO's scattering and gathering calls need them, made on the first attempt. */
    ByteBuffer[] views;
    long offset;
    /** Timeout deadline (System.nanoTime), or an eventfd's initial value, or {@link #deadline}'s. */
    long value;
    /** Whether this read, write, accept or connect has a deadline in {@link #value}, in the timer heap. */
    boolean deadline;
    int backlog;
    /** A listen's options, set before its bind. */
    AioListenOptions listenOptions;
    /** The path of a file-system operation, as handed to the kernel; the first one of a rename. */
    String path;
    /** The new name of a rename. */
    String toPath;
    /** The directory handle of a rename's new name. */
    int toHandle;
    /** The directory of a rename's new name while the pool uses it; null when it is the first one's or none. */
    FileResource toDirectory;
    Set<AioOpenOption> options;
    /** The holder a stat fills. */
    AioStat stat;
    /** A mkdir's mode, an unlink's {@code AT_REMOVEDIR}, a stat's {@code AT_SYMLINK_NOFOLLOW}. */
    int flags;
    /** The size of an fallocate's range. */
    long length;
    /** A connect's or a datagram bind's address; a datagram's target (read at submission), or null. */
    SocketAddress address;
    /** The peer a datagram socket connects to, or null. */
    InetSocketAddress peer;
    /** Where a datagram receive writes its sender, or null. */
    AioSocketAddress socketAddress;
    /** A zero-copy send's state; its socket in {@link #handle}, its file in {@link #toHandle}. */
    FileSend sendFile;

    /** Loop-confined from here on, except {@link #result} and {@link #opened} which the pool thread writes. */
    int stage = NEW;
    int result;
    /** The descriptor an open gave, until it has a handle (or is closed again). */
    int opened = -1;
    Resource resource;
    OpList list;
    Op prev;
    Op next;
    int heapIndex = -1;
    /** The driver keeping this operation pending, which a cancel goes to; null while it cannot be withdrawn. */
    OpCanceller canceller;
    boolean inPool;
    /** Once handed to the file pool, an operation is never reused: the pool's queue may still hold it. */
    boolean pooled;

    @SuppressWarnings("unused") // accessed through POOL_STATE
    private volatile int poolState;

    Op(EpollLoop loop) {
        this.loop = loop;
    }

    /** Sets up a new or recycled operation; the other fields are at their initial values. */
    Op init(int kind, long token, int handle, Object attachment, AioCompletion<Object> completion) {
        this.kind = kind;
        this.token = token;
        this.handle = handle;
        this.attachment = attachment;
        this.completion = completion;
        return this;
    }

    /**
     * Loop: forgets a delivered operation so that it can be reused.
     *
     * @return {@code true} if it may be reused; {@code false} if the file pool has seen it
     */
    boolean recycle() {
        attachment = null;
        completion = null;
        buffer = null;
        view = null;
        vector = null;
        views = null;
        path = null;
        options = null;
        address = null;
        peer = null;
        socketAddress = null;
        resource = null;
        opened = -1;
        toPath = null;
        toDirectory = null;
        stat = null;
        sendFile = null;
        list = null;
        prev = null;
        next = null;
        heapIndex = -1;
        deadline = false;
        canceller = null;
        stage = NEW;
        return !pooled;
    }

    /**
     * Loop: withdraws an operation the pool has not started.
     *
     * @return {@code true} if the pool will never run it; {@code false} if it is running or has run
     */
    boolean cancelInPool() {
        return POOL_STATE.compareAndSet(this, QUEUED, CANCELLED);
    }

    /** Loop: makes a zero-copy send, whose step came back from the pool, claimable by the pool again. */
    void requeue() {
        POOL_STATE.setVolatile(this, QUEUED);
    }

    /**
     * Pool thread: claims the operation.
     *
     * @return {@code true} if this thread must perform it; {@code false} if the loop cancelled it
     */
    private boolean claimForPool() {
        return POOL_STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /** Pool thread: performs the file operation and hands the result to the loop. */
    @Override
    public void run() {
        if (!claimForPool()) {
            return;
        }
        result = FileIo.perform(this);
        loop.fromPool(this);
    }

    /** The name of a file operation's kind, for messages. */
    static String kindName(int kind) {
        return switch (kind) {
            case Op.READ -> "read";
            case Op.WRITE -> "write";
            case Op.FSYNC -> "fsync";
            case Op.OPEN -> "open";
            case Op.STAT -> "stat";
            case Op.FSTAT -> "fstat";
            case Op.FDATASYNC -> "fdatasync";
            case Op.FTRUNCATE -> "ftruncate";
            case Op.FALLOCATE -> "fallocate";
            case Op.UNLINK -> "unlink";
            case Op.RENAME -> "rename";
            case Op.MKDIR -> "mkdir";
            case Op.SHUTDOWN -> "shutdown";
            case Op.DATAGRAM_OPEN -> "openDatagram";
            case Op.SEND_TO -> "sendTo";
            case Op.RECEIVE -> "receive";
            case Op.SENDFILE -> "sendFile";
            case Op.AWAIT_READABLE -> "awaitReadable";
            default -> "operation " + kind;
        };
    }

    @Override
    public String toString() {
        return "Op[kind=" + kind + ", token=" + token + ", handle=" + handle + ", stage=" + stage + "]";
    }
}
