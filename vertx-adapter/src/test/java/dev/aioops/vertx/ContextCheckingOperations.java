package dev.aioops.vertx;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioVector;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps an {@link AioOperations} and checks, at every completion and task, that it runs on one Vert.x context's
 * thread with that context (or a duplicate of it) current. A library handed this wrapper cannot tell it apart.
 */
final class ContextCheckingOperations implements AioOperations {

    private final AioOperations delegate;
    private final Context context;
    private final Thread thread;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    /** Must be created on the context's thread. */
    ContextCheckingOperations(AioOperations delegate, Context context) {
        this.delegate = delegate;
        this.context = context;
        this.thread = Thread.currentThread();
    }

    int calls() {
        return calls.get();
    }

    List<String> violations() {
        return violations;
    }

    private void check(String what) {
        calls.incrementAndGet();
        Context current = Vertx.currentContext();
        Context unwrapped = current instanceof ContextInternal c ? c.unwrap() : current;
        if (Thread.currentThread() != thread || unwrapped != context) {
            violations.add(what + " ran on " + Thread.currentThread().getName() + " with context " + current);
        }
    }

    private <A> AioCompletion<A> checked(String what, AioCompletion<? super A> completion) {
        return (result, attachment) -> {
            check(what);
            completion.completed(result, attachment);
        };
    }

    @Override
    public String adapterName() {
        return delegate.adapterName();
    }

    @Override
    public Set<AioCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, A attachment,
                         AioCompletion<? super A> completion) {
        return delegate.read(handle, buffer, offset, attachment, checked("read", completion));
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return delegate.write(handle, buffer, offset, attachment, checked("write", completion));
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        return delegate.readv(handle, vector, offset, attachment, checked("readv", completion));
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.writev(handle, vector, offset, attachment, checked("writev", completion));
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                         AioCompletion<? super A> completion) {
        return delegate.read(handle, buffer, offset, timeoutNanos, attachment, checked("read", completion));
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        return delegate.write(handle, buffer, offset, timeoutNanos, attachment, checked("write", completion));
    }

    @Override
    public <A> long readv(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                          AioCompletion<? super A> completion) {
        return delegate.readv(handle, vector, offset, timeoutNanos, attachment, checked("readv", completion));
    }

    @Override
    public <A> long writev(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.writev(handle, vector, offset, timeoutNanos, attachment, checked("writev", completion));
    }

    @Override
    public <A> long accept(int listenHandle, long timeoutNanos, A attachment, AioCompletion<? super A> completion) {
        return delegate.accept(listenHandle, timeoutNanos, attachment, checked("accept", completion));
    }

    @Override
    public <A> long connect(SocketAddress address, long timeoutNanos, A attachment,
                            AioCompletion<? super A> completion) {
        return delegate.connect(address, timeoutNanos, attachment, checked("connect", completion));
    }

    @Override
    public <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion) {
        return delegate.fsync(handle, attachment, checked("fsync", completion));
    }

    @Override
    public <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.openAt(directory, path, options, attachment, checked("openAt", completion));
    }

    @Override
    public <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                         AioCompletion<? super A> completion) {
        return delegate.stat(directory, path, followLinks, into, attachment, checked("stat", completion));
    }

    @Override
    public <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion) {
        return delegate.fstat(handle, into, attachment, checked("fstat", completion));
    }

    @Override
    public <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion) {
        return delegate.fdatasync(handle, attachment, checked("fdatasync", completion));
    }

    @Override
    public <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion) {
        return delegate.ftruncate(handle, length, attachment, checked("ftruncate", completion));
    }

    @Override
    public <A> long fallocate(int handle, long offset, long length, A attachment,
                              AioCompletion<? super A> completion) {
        return delegate.fallocate(handle, offset, length, attachment, checked("fallocate", completion));
    }

    @Override
    public <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.unlink(directory, path, directoryEntry, attachment, checked("unlink", completion));
    }

    @Override
    public <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.rename(fromDirectory, from, toDirectory, to, attachment, checked("rename", completion));
    }

    @Override
    public <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion) {
        return delegate.mkdir(directory, path, mode, attachment, checked("mkdir", completion));
    }

    @Override
    public <A> long listen(SocketAddress address, int backlog, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.listen(address, backlog, attachment, checked("listen", completion));
    }

    @Override
    public <A> long listen(SocketAddress address, int backlog, dev.aioops.spi.AioListenOptions options, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.listen(address, backlog, options, attachment, checked("listen", completion));
    }

    @Override
    public <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion) {
        return delegate.accept(listenHandle, attachment, checked("accept", completion));
    }

    @Override
    public <A> long connect(SocketAddress address, A attachment, AioCompletion<? super A> completion) {
        return delegate.connect(address, attachment, checked("connect", completion));
    }

    @Override
    public <A> long close(int handle, A attachment, AioCompletion<? super A> completion) {
        return delegate.close(handle, attachment, checked("close", completion));
    }

    @Override
    public <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion) {
        return delegate.eventfd(initialValue, attachment, checked("eventfd", completion));
    }

    @Override
    public boolean signal(int eventfdHandle, long n) {
        return delegate.signal(eventfdHandle, n);
    }

    @Override
    public <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion) {
        return delegate.timeout(nanos, attachment, checked("timeout", completion));
    }

    @Override
    public <A> long receiveChunks(int handle, A attachment, AioChunkHandler<? super A> handler) {
        return delegate.receiveChunks(handle, attachment, new AioChunkHandler<A>() {
            @Override
            public boolean chunk(A a, MemorySegment data, long chunk) {
                check("receiveChunks");
                return handler.chunk(a, data, chunk);
            }

            @Override
            public void end(int result, A a) {
                check("receiveChunks");
                handler.end(result, a);
            }
        });
    }

    @Override
    public <A> long acceptStream(int listenHandle, A attachment, AioAcceptHandler<? super A> handler) {
        return delegate.acceptStream(listenHandle, attachment, new AioAcceptHandler<A>() {
            @Override
            public void accepted(A a, int handle) {
                check("acceptStream");
                handler.accepted(a, handle);
            }

            @Override
            public void end(int result, A a) {
                check("acceptStream");
                handler.end(result, a);
            }
        });
    }

    @Override
    public void releaseChunk(long chunk) {
        delegate.releaseChunk(chunk);
    }

    @Override
    public void cancel(long token) {
        delegate.cancel(token);
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(() -> {
            check("task");
            task.run();
        });
    }

    @Override
    public boolean inLoop() {
        return delegate.inLoop();
    }

    @Override
    public SocketAddress localAddress(int handle) throws IOException {
        return delegate.localAddress(handle);
    }

    @Override
    public int fileDescriptor(int handle) throws dev.aioops.spi.AioException {
        return delegate.fileDescriptor(handle);
    }

    @Override
    public <A> long shutdown(int handle, AioShutdown how, A attachment, AioCompletion<? super A> completion) {
        return delegate.shutdown(handle, how, attachment, checked("shutdown", completion));
    }

    @Override
    public <A> long openDatagram(InetSocketAddress bind, InetSocketAddress connectTo, A attachment,
                                 AioCompletion<? super A> completion) {
        return delegate.openDatagram(bind, connectTo, attachment, checked("openDatagram", completion));
    }

    @Override
    public <A> long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, A attachment,
                           AioCompletion<? super A> completion) {
        return delegate.sendTo(handle, buffer, target, attachment, checked("sendTo", completion));
    }

    @Override
    public <A> long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos,
                            A attachment, AioCompletion<? super A> completion) {
        return delegate.receive(handle, buffer, sender, timeoutNanos, attachment, checked("receive", completion));
    }

    @Override
    public <A> long sendFile(int socketHandle, int fileHandle, long offset, long length, A attachment,
                             AioCompletion<? super A> completion) {
        return delegate.sendFile(socketHandle, fileHandle, offset, length, attachment,
                checked("sendFile", completion));
    }

    @Override
    public void setSocketOption(int handle, AioSocketOption option, int value) throws IOException {
        delegate.setSocketOption(handle, option, value);
    }

    @Override
    public int socketOption(int handle, AioSocketOption option) throws IOException {
        return delegate.socketOption(handle, option);
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        return delegate.remoteAddress(handle);
    }

    @Override
    public AioBufferPool buffers() {
        return delegate.buffers();
    }

    @Override
    public int runOnce(long timeoutNanos) {
        return delegate.runOnce(timeoutNanos);
    }

    @Override
    public int notificationFd() {
        return delegate.notificationFd();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
