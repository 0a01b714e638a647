package dev.aioops.tck;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioSocketOperations;
import dev.aioops.spi.AioTransfers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zero-copy send of a file to a socket ({@link AioSocketOperations#sendFile}): a 100 MiB file arrives intact
 * (its SHA-256 at the receiver), a range arrives alone, the end of the file gives 0 or a short count, a peer that
 * resets ends the send once with {@code -EPIPE} or {@code -ECONNRESET}, cancel and the close of either handle or of
 * the instance complete a send under way exactly once with the bytes that reached the socket (or
 * {@code -ECANCELED}), sends to peers that read nothing do not hold back one to a peer that reads (on io_uring they
 * would otherwise hold every kernel worker), the errno of each wrong handle, the order against writes that the
 * contract promises, and misuse that throws. The receiver is a plain JDK socket read on a thread of its own.
 */
public abstract class SendFileContract extends AioContract {

    private static final int MIB = 1024 * 1024;

    /** For subclasses. */
    protected SendFileContract() {
    }

    /**
     * As the default, with io_uring's kernel workers capped at 2 per class, so that a few peers that read nothing
     * are more sends than there are workers ({@link #sendsToPeersThatReadNothingDoNotHoldBackAPeerThatReads}).
     */
    @Override
    protected AioConfig config() {
        return AioConfig.builder().buffers(8, 64 * 1024).maxKernelWorkers(2).build();
    }

    /** Writes a file of {@link #patternByte} bytes; returns its SHA-256. */
    private byte[] patternFile(Path path, long size, int seed) throws IOException {
        MessageDigest sha = sha256();
        byte[] block = new byte[MIB];
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += block.length) {
                int n = (int) Math.min(block.length, size - at);
                for (int i = 0; i < n; i++) {
                    block[i] = patternByte(at + i, seed);
                }
                sha.update(block, 0, n);
                ByteBuffer b = ByteBuffer.wrap(block, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }
        return sha.digest();
    }

    private static byte[] patternBytes(long offset, int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = patternByte(offset + i, seed);
        }
        return b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A file of {@code size} pattern bytes, opened for reading. */
    private int patternHandle(long size, int seed) throws IOException {
        Path path = tempDir.resolve("file-" + seed);
        patternFile(path, size, seed);
        return open(path, AioOpenOption.READ);
    }

    private int sendFile(int socket, int file, long offset, long length) {
        return call(c -> ops.sendFile(socket, file, offset, length, null, c));
    }

    private int sendFileFully(int socket, int file, long offset, long length) {
        return call(c -> {
            AioTransfers.sendFileFully(ops, socket, file, offset, length, null, c);
            return 1;
        });
    }

    private void closeHandle(int handle) {
        assertThat(call(c -> ops.close(handle, null, c))).isZero();
    }

    /** What a {@link Peer} read until the end of the stream. */
    private record Received(long bytes, byte[] sha256, byte[] kept) {
    }

    /**
     * The other end of a socket handle of {@link #ops}: a blocking JDK socket, read (when asked) on a thread of its
     * own until the end of the stream.
     */
    private final class Peer implements AutoCloseable {
        final Socket socket;
        /** The handle of {@link #ops} connected to {@link #socket}. */
        final int handle;

        Peer() throws IOException {
            int listener = listen();
            socket = new Socket(LOOPBACK, addressOf(listener).getPort());
            handle = call(c -> ops.accept(listener, null, c));
            assertThat(handle).as("accept: %s", AioCompletionRecorder.describe(handle)).isGreaterThanOrEqualTo(0);
            closeHandle(listener);
        }

        /** Reads until the end of the stream, keeping the first {@code keep} bytes. */
        CompletableFuture<Received> drain(int keep) {
            CompletableFuture<Received> done = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    MessageDigest sha = sha256();
                    ByteArrayOutputStream kept = new ByteArrayOutputStream();
                    byte[] buffer = new byte[256 * 1024];
                    InputStream in = socket.getInputStream();
                    long total = 0;
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        sha.update(buffer, 0, n);
                        if (kept.size() < keep) {
                            kept.write(buffer, 0, Math.min(n, keep - kept.size()));
                        }
                        total += n;
                    }
                    done.complete(new Received(total, sha.digest(), kept.toByteArray()));
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }, "sendfile-contract-peer");
            reader.setDaemon(true);
            reader.start();
            return done;
        }

        /** Waits until bytes wait unread in the peer's socket: a send to it is under way. */
        void awaitQueuedBytes() throws IOException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (socket.getInputStream().available() == 0) {
                assertThat(System.nanoTime()).as("bytes reached the peer").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Received received(CompletableFuture<Received> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------ intact

    @Test
    @Timeout(180)
    void aHundredMebibyteFileArrivesIntact() throws Exception {
        long size = 100L * MIB;
        Path path = tempDir.resolve("big");
        byte[] expected = patternFile(path, size, 7);
        int file = open(path, AioOpenOption.READ);
        try (Peer peer = new Peer()) {
            CompletableFuture<Received> got = peer.drain(0);
            assertThat(sendFileFully(peer.handle, file, 0, size)).isEqualTo((int) size);
            closeHandle(peer.handle);
            Received r = received(got);
            assertThat(r.bytes()).isEqualTo(size);
            assertThat(r.sha256()).as("SHA-256 at the receiver").isEqualTo(expected);
        }
    }

    @Test
    @Timeout(60)
    void aRangeInTheMiddleArrivesAlone() throws Exception {
        int file = patternHandle(3L * MIB, 3);
        long offset = 1_234_567;
        int length = 1_000_001;
        try (Peer peer = new Peer()) {
            CompletableFuture<Received> got = peer.drain(length);
            assertThat(sendFileFully(peer.handle, file, offset, length)).isEqualTo(length);
            closeHandle(peer.handle);
            Received r = received(got);
            assertThat(r.bytes()).isEqualTo(length);
            assertThat(Arrays.equals(r.kept(), patternBytes(offset, length, 3))).as("the range's bytes").isTrue();
        }
    }

    @Test
    @Timeout(60)
    void anOffsetAtOrPastTheEndAndAZeroLengthSendNothing() throws Exception {
        int file = patternHandle(10_000, 5);
        try (Peer peer = new Peer()) {
            CompletableFuture<Received> got = peer.drain(16);
            assertThat(sendFile(peer.handle, file, 10_000, 100)).isZero();
            assertThat(sendFile(peer.handle, file, 1L << 40, 100)).isZero();
            assertThat(sendFile(peer.handle, file, 0, 0)).isZero();
            assertThat(sendFileFully(peer.handle, file, 10_000, 100)).isZero();
            closeHandle(peer.handle);
            assertThat(received(got).bytes()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aLengthBeyondTheEndGivesAShortCount() throws Exception {
        int file = patternHandle(10_000, 9);
        try (Peer peer = new Peer()) {
            CompletableFuture<Received> got = peer.drain(10_000);
            assertThat(sendFile(peer.handle, file, 4_000, 1_000_000)).isEqualTo(6_000);
            closeHandle(peer.handle);
            Received r = received(got);
            assertThat(r.bytes()).isEqualTo(6_000);
            assertThat(Arrays.equals(r.kept(), patternBytes(4_000, 6_000, 9))).isTrue();
        }
    }

    // ----------------------------------------------------------------------------------- order with writes

    @Test
    @Timeout(60)
    void writesAndSendsSubmittedAfterEachOtherCompletesArriveInThatOrder() throws Exception {
        int file = patternHandle(MIB, 11);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (Peer peer = new Peer()) {
            CompletableFuture<Received> got = peer.drain(Integer.MAX_VALUE);
            for (int round = 0; round < 20; round++) {
                MemorySegment header = bytes("header " + round + ";");
                expected.writeBytes(header.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                assertThat(call(c -> {
                    AioTransfers.writeFully(ops, peer.handle, header, AioOperations.STREAM, null, c);
                    return 1;
                })).isEqualTo((int) header.byteSize());
                long offset = round * 7_919L;
                int length = 1 + round * 20_011;
                expected.writeBytes(patternBytes(offset, length, 11));
                assertThat(sendFileFully(peer.handle, file, offset, length)).isEqualTo(length);
            }
            closeHandle(peer.handle);
            byte[] want = expected.toByteArray();
            Received r = received(got);
            assertThat(r.bytes()).isEqualTo(want.length);
            assertThat(Arrays.equals(r.kept(), want)).as("headers and ranges in submission order").isTrue();
        }
    }

    // ---------------------------------------------------------------------------------- peers and stopping

    @Test
    @Timeout(60)
    void aPeerThatResetsEndsTheSendOnceWithEpipeOrEconnreset() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 13);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> send = recorder();
            AioTransfers.sendFileFully(ops, peer.handle, file, 0, size, null, send);
            peer.awaitQueuedBytes();
            peer.socket.setSoLinger(true, 0);
            peer.socket.close();
            int result = send.await();
            assertThat(result).as(AioCompletionRecorder.describe(result)).isIn(-AioErrno.EPIPE, -AioErrno.ECONNRESET);
            int again = sendFile(peer.handle, file, 0, size);
            assertThat(again).as(AioCompletionRecorder.describe(again)).isIn(-AioErrno.EPIPE, -AioErrno.ECONNRESET);
            assertThat(send.calls()).isEqualTo(1);
        }
    }

    /** Asserts the result of a send stopped under way: the bytes that reached the socket, or -ECANCELED. */
    private static void assertStopped(int result, long length) {
        if (result < 0) {
            assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ECANCELED);
        } else {
            assertThat((long) result).as("a stopped send is short").isBetween(1L, length);
        }
    }

    @Test
    @Timeout(60)
    void cancelCompletesASendUnderWayOnceWithTheBytesThatReachedTheSocket() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 15);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> send = recorder();
            long token = ops.sendFile(peer.handle, file, 0, size, null, send);
            peer.awaitQueuedBytes();
            ops.cancel(token);
            // The peer reads from now on: a send that cannot be withdrawn (Vert.x native) then finishes.
            CompletableFuture<Received> got = peer.drain(0);
            int result = send.await();
            assertStopped(result, size);
            closeHandle(peer.handle);
            assertThat(received(got).bytes()).as("bytes at the peer, for a result of %d", result)
                    .isEqualTo(Math.max(result, 0));
            assertThat(send.calls()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(60)
    void closingTheSocketHandleCompletesASendUnderWayOnce() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 17);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> send = recorder();
            ops.sendFile(peer.handle, file, 0, size, null, send);
            peer.awaitQueuedBytes();
            closeHandle(peer.handle);
            assertThat(send.isDone()).as("the send completed before its handle's close").isTrue();
            assertStopped(send.result(), size);
            assertThat(sendFile(peer.handle, file, 0, 10)).isEqualTo(-AioErrno.EBADF);
        }
    }

    @Test
    @Timeout(60)
    void closingTheFileHandleCompletesASendUnderWayOnce() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 19);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> send = recorder();
            ops.sendFile(peer.handle, file, 0, size, null, send);
            peer.awaitQueuedBytes();
            closeHandle(file);
            assertThat(send.isDone()).as("the send completed before its handle's close").isTrue();
            assertStopped(send.result(), size);
            assertThat(sendFile(peer.handle, file, 0, 10)).isEqualTo(-AioErrno.EBADF);
        }
    }

    @Test
    @Timeout(60)
    void closingTheInstanceCompletesASendUnderWayOnce() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 21);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> send = recorder();
            ops.sendFile(peer.handle, file, 0, size, null, send);
            peer.awaitQueuedBytes();
            ops.close();
            assertThat(send.calls()).isEqualTo(1);
            assertStopped(send.result(), size);
        }
    }

    @Test
    @Timeout(60)
    void sendsToPeersThatReadNothingDoNotHoldBackAPeerThatReads() throws Exception {
        long size = 64L * MIB;
        int file = patternHandle(size, 31);
        List<Peer> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Peer peer = new Peer();
                stalled.add(peer);
                ops.sendFile(peer.handle, file, 0, size, null, recorder());
                peer.awaitQueuedBytes();
            }
            try (Peer reader = new Peer()) {
                CompletableFuture<Received> got = reader.drain(0);
                assertThat(sendFileFully(reader.handle, file, 0, 4 * MIB)).isEqualTo(4 * MIB);
                closeHandle(reader.handle);
                assertThat(received(got).bytes()).isEqualTo(4 * MIB);
            }
        } finally {
            for (Peer peer : stalled) {
                peer.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void aSendAfterShuttingDownTheOutputIsEpipe() throws Exception {
        int file = patternHandle(1000, 23);
        try (Peer peer = new Peer()) {
            assertThat(call(c -> ops.shutdown(peer.handle, dev.aioops.spi.AioShutdown.WRITE, null, c))).isZero();
            assertThat(sendFile(peer.handle, file, 0, 1000)).isEqualTo(-AioErrno.EPIPE);
        }
    }

    // ------------------------------------------------------------------------------------ wrong handles

    @Test
    @Timeout(60)
    void aSocketHandleThatIsNoConnectedSocketIsRefused() throws Exception {
        int file = patternHandle(1000, 25);
        int otherFile = patternHandle(1000, 26);
        int directory = open(tempDir, AioOpenOption.DIRECTORY);
        int eventfd = eventfd(0);
        int listener = listen();
        assertThat(sendFile(otherFile, file, 0, 10)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(sendFile(directory, file, 0, 10)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(sendFile(eventfd, file, 0, 10)).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(sendFile(listener, file, 0, 10)).isEqualTo(-AioErrno.EPIPE);
        closeHandle(otherFile);
        assertThat(sendFile(otherFile, file, 0, 10)).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void aFileHandleThatIsNoReadableFileIsRefused() throws Exception {
        Path writeOnly = tempDir.resolve("write-only");
        patternFile(writeOnly, 1000, 27);
        int unreadable = open(writeOnly, AioOpenOption.WRITE);
        int directory = open(tempDir, AioOpenOption.DIRECTORY);
        int eventfd = eventfd(0);
        int listener = listen();
        int closed = patternHandle(1000, 28);
        try (Peer peer = new Peer(); Peer other = new Peer()) {
            assertThat(sendFile(peer.handle, unreadable, 0, 10)).isEqualTo(-AioErrno.EBADF);
            assertThat(sendFile(peer.handle, directory, 0, 10)).isEqualTo(-AioErrno.EINVAL);
            assertThat(sendFile(peer.handle, eventfd, 0, 10)).isEqualTo(-AioErrno.EINVAL);
            assertThat(sendFile(peer.handle, listener, 0, 10)).isEqualTo(-AioErrno.EINVAL);
            assertThat(sendFile(peer.handle, other.handle, 0, 10)).isEqualTo(-AioErrno.EINVAL);
            closeHandle(closed);
            assertThat(sendFile(peer.handle, closed, 0, 10)).isEqualTo(-AioErrno.EBADF);
            CompletableFuture<Received> got = peer.drain(16);
            closeHandle(peer.handle);
            assertThat(received(got).bytes()).as("nothing was sent").isZero();
        }
    }

    // ------------------------------------------------------------------------------------------- misuse

    @Test
    @Timeout(60)
    void misuseThrowsAndSubmitsNothing() throws Exception {
        int file = patternHandle(1000, 29);
        try (Peer peer = new Peer()) {
            AioCompletionRecorder<Object> never = recorder();
            assertThatThrownBy(() -> ops.sendFile(peer.handle, file, -1, 10, null, never))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> ops.sendFile(peer.handle, file, 0, -10, null, never))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-10");
            assertThatThrownBy(() -> ops.sendFile(peer.handle, file, 0, 10, null, null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> AioTransfers.sendFileFully(ops, peer.handle, file, 0, 1L << 31, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
            ops.close();
            assertThatThrownBy(() -> ops.sendFile(peer.handle, file, 0, 10, null, never))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(never.calls()).isZero();
        }
    }
}
