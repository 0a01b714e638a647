package dev.aioops.spi;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Transfers that loop over short reads and writes, built on {@link AioOperations} alone so that every adapter
 * has them. Each call allocates one small state object; the operations it submits are those of the interface,
 * so buffer ownership, threads and results follow its rules. To abort a transfer, close its handle: the pending
 * operation completes with {@code -ECANCELED} and so does the transfer.
 */
public final class AioTransfers {

    private AioTransfers() {
    }

    /**
     * Writes the whole of {@code buffer}, issuing further writes after short ones.
     *
     * <p>Completes with {@code buffer.byteSize()}, or {@code -errno} from the first write that failed (what was
     * written before it stays written). A write that makes no progress completes the transfer with
     * {@code -EIO} rather than spinning.
     *
     * @param ops        the operations to use
     * @param handle     a handle of {@code ops}
     * @param buffer     native memory of at most {@link Integer#MAX_VALUE} bytes, owned by the adapter until
     *                   completion
     * @param offset     the file position of the first byte, advanced by each write, or
     *                   {@link AioOperations#STREAM}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @throws NullPointerException     if {@code ops}, {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is larger than {@link Integer#MAX_VALUE} bytes, or as
     *                                  {@link AioOperations#write}
     * @throws IllegalStateException    as {@link AioOperations#write}
     */
    public static <A> void writeFully(AioOperations ops, int handle, MemorySegment buffer, long offset,
                                      A attachment, AioCompletion<? super A> completion) {
        new Transfer<>(ops, handle, buffer, offset, true, attachment, completion).next();
    }

    /**
     * Reads until {@code buffer} is full or the file or stream ends, issuing further reads after short ones.
     *
     * <p>Completes with {@code buffer.byteSize()} when it is full, with the smaller number of bytes read when
     * the end came first (0 if at the end already), or {@code -errno} from the first read that failed.
     *
     * @param ops        the operations to use
     * @param handle     a handle of {@code ops}
     * @param buffer     native memory of at most {@link Integer#MAX_VALUE} bytes, owned by the adapter until
     *                   completion
     * @param offset     the file position of the first byte, advanced by each read, or
     *                   {@link AioOperations#STREAM}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @throws NullPointerException     if {@code ops}, {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is larger than {@link Integer#MAX_VALUE} bytes, or as
     *                                  {@link AioOperations#read}
     * @throws IllegalStateException    as {@link AioOperations#read}
     */
    public static <A> void readFully(AioOperations ops, int handle, MemorySegment buffer, long offset,
                                     A attachment, AioCompletion<? super A> completion) {
        new Transfer<>(ops, handle, buffer, offset, false, attachment, completion).next();
    }

    /**
     * Sends {@code length} bytes of a file to a socket ({@link AioSocketOperations#sendFile}), issuing further sends
     * after short ones, so that a header written before it and a trailer written after its completion stay in order.
     *
     * <p>Completes with {@code length}; with fewer bytes when the file ends first (0 if {@code offset} is at its end
     * already); or {@code -errno} from the first send that failed (what was sent before it stays sent: the peer may
     * have received it). A send that makes no progress before the end of the file cannot happen: a send of 0 bytes
     * means the end of the file.
     *
     * @param ops          the operations to use
     * @param socketHandle a connected socket handle of {@code ops}
     * @param fileHandle   a file handle of {@code ops}, opened for reading
     * @param offset       the file position of the first byte, {@code >= 0}
     * @param length       how many bytes, at most {@link Integer#MAX_VALUE}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result
     * @param <A>          the attachment type
     * @throws NullPointerException     if {@code ops} or {@code completion} is null
     * @throws IllegalArgumentException if {@code length} is above {@link Integer#MAX_VALUE}, or as
     *                                  {@link AioSocketOperations#sendFile}
     * @throws IllegalStateException    as {@link AioSocketOperations#sendFile}
     */
    public static <A> void sendFileFully(AioOperations ops, int socketHandle, int fileHandle, long offset,
                                         long length, A attachment, AioCompletion<? super A> completion) {
        new FileSend<>(ops, socketHandle, fileHandle, offset, length, attachment, completion).next();
    }

    /** One looping file send; its own completion for each send. Confined to the loop after the first send. */
    private static final class FileSend<A> implements AioCompletion<Object> {
        private final AioOperations ops;
        private final int socketHandle;
        private final int fileHandle;
        private final long offset;
        private final long length;
        private final A attachment;
        private final AioCompletion<? super A> completion;
        private long done;

        FileSend(AioOperations ops, int socketHandle, int fileHandle, long offset, long length, A attachment,
                 AioCompletion<? super A> completion) {
            this.ops = Objects.requireNonNull(ops, "ops");
            this.completion = Objects.requireNonNull(completion, "completion");
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a transfer takes at most " + Integer.MAX_VALUE
                        + " bytes; split the " + length + "-byte range");
            }
            this.socketHandle = socketHandle;
            this.fileHandle = fileHandle;
            this.offset = offset;
            this.length = length;
            this.attachment = attachment;
        }

        void next() {
            ops.sendFile(socketHandle, fileHandle, offset + done, length - done, null, this);
        }

        @Override
        public void completed(int result, Object ignored) {
            if (result < 0) {
                completion.completed(result, attachment);
                return;
            }
            done += result;
            if (result == 0 || done >= length) {
                completion.completed((int) done, attachment);
            } else {
                next();
            }
        }
    }

    /** One looping transfer; its own completion for each step. Confined to the loop after the first step. */
    private static final class Transfer<A> implements AioCompletion<Object> {
        private final AioOperations ops;
        private final int handle;
        private final MemorySegment buffer;
        private final long offset;
        private final boolean write;
        private final A attachment;
        private final AioCompletion<? super A> completion;
        private int done;

        Transfer(AioOperations ops, int handle, MemorySegment buffer, long offset, boolean write, A attachment,
                 AioCompletion<? super A> completion) {
            this.ops = Objects.requireNonNull(ops, "ops");
            this.buffer = Objects.requireNonNull(buffer, "buffer");
            this.completion = Objects.requireNonNull(completion, "completion");
            if (buffer.byteSize() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a transfer takes at most " + Integer.MAX_VALUE
                        + " bytes; split the " + buffer.byteSize() + "-byte buffer");
            }
            this.handle = handle;
            this.offset = offset;
            this.write = write;
            this.attachment = attachment;
        }

        void next() {
            MemorySegment rest = buffer.asSlice(done);
            long position = offset < 0 ? AioOperations.STREAM : offset + done;
            if (write) {
                ops.write(handle, rest, position, null, this);
            } else {
                ops.read(handle, rest, position, null, this);
            }
        }

        @Override
        public void completed(int result, Object ignored) {
            if (result < 0) {
                completion.completed(result, attachment);
                return;
            }
            if (result == 0 && buffer.byteSize() > done) {
                completion.completed(write ? -AioErrno.EIO : done, attachment);
                return;
            }
            done += result;
            if (done >= buffer.byteSize()) {
                completion.completed(done, attachment);
            } else {
                next();
            }
        }
    }
}
