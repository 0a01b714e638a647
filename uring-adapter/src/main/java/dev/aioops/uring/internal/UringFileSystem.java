package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.FileChecks;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Set;

/**
 * The file-system group of {@link UringAioOperations} ({@link AioFileOperations}): checked, then encoded at once on
 * the loop or, from another thread, replayed there through a {@link RemoteRequest}. Any thread.
 */
final class UringFileSystem extends SubmissionGroup implements AioFileOperations {

    UringFileSystem(UringLoop loop) {
        super(loop);
    }

    private long remote(RemoteRequest.Replay replay, int handle, MemorySegment buffer, long value, Object argument,
                        Object attachment, AioCompletion<?> completion) {
        return remote(new RemoteRequest(replay, handle, buffer, value, argument, attachment, erase(completion)));
    }

    /** The arguments of a cross-thread file-system operation that has more than one. */
    private record PathArgs(String path, Set<AioOpenOption> options, AioStat stat, int number, String to) {
    }

    @Override
    public <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                           AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Set<AioOpenOption> copy = FileChecks.openOptions(options);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().openAt(directory, text, copy, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().openAt(r.handle, ((PathArgs) r.argument).path(),
                ((PathArgs) r.argument).options(), r.attachment, r.completion, r.token),
                directory, null, 0, new PathArgs(text, copy, null, 0, null), attachment, completion);
    }

    @Override
    public <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                         AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        FileChecks.stat(into);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().stat(directory, text, followLinks, into, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().stat(r.handle, ((PathArgs) r.argument).path(), r.value != 0,
                ((PathArgs) r.argument).stat(), r.attachment, r.completion, r.token),
                directory, null, followLinks ? 1 : 0, new PathArgs(text, null, into, 0, null), attachment,
                completion);
    }

    @Override
    public <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion) {
        FileChecks.stat(into);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().fstat(handle, into, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().fstat(r.handle, (AioStat) r.argument, r.attachment, r.completion,
                r.token), handle, null, 0, into, attachment, completion);
    }

    @Override
    public <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().fdatasync(handle, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().fdatasync(r.handle, r.attachment, r.completion, r.token),
                handle, null, 0, null, attachment, completion);
    }

    @Override
    public <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion) {
        FileChecks.length(length);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().ftruncate(handle, length, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().ftruncate(r.handle, r.value, r.attachment, r.completion, r.token),
                handle, null, length, null, attachment, completion);
    }

    @Override
    public <A> long fallocate(int handle, long offset, long length, A attachment,
                              AioCompletion<? super A> completion) {
        FileChecks.range(offset, length);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().fallocate(handle, offset, length, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().fallocate(r.handle, r.value, (Long) r.argument, r.attachment,
                r.completion, r.token), handle, null, offset, length, attachment, completion);
    }

    @Override
    public <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                           AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().unlink(directory, text, directoryEntry, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().unlink(r.handle, (String) r.argument, r.value != 0, r.attachment,
                r.completion, r.token), directory, null, directoryEntry ? 1 : 0, text, attachment, completion);
    }

    @Override
    public <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                           AioCompletion<? super A> completion) {
        String fromText = FileChecks.path(from, "from");
        String toText = FileChecks.path(to, "to");
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().rename(fromDirectory, fromText, toDirectory, toText, attachment, erase(completion),
                    0);
        }
        return remote((o, r) -> o.files().rename(r.handle, ((PathArgs) r.argument).path(),
                ((PathArgs) r.argument).number(), ((PathArgs) r.argument).to(), r.attachment, r.completion,
                r.token), fromDirectory, null, 0, new PathArgs(fromText, null, null, toDirectory, toText),
                attachment, completion);
    }

    @Override
    public <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion) {
        String text = FileChecks.path(path, "path");
        FileChecks.mode(mode);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.files().mkdir(directory, text, mode, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.files().mkdir(r.handle, (String) r.argument, (int) r.value, r.attachment,
                r.completion, r.token), directory, null, mode, text, attachment, completion);
    }
}
