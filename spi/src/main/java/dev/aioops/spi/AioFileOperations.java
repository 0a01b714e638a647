package dev.aioops.spi;

import java.nio.file.Path;
import java.util.Set;

/**
 * The file-system operations of {@link AioOperations} (the contract's second edition): opens relative to a
 * directory handle, confined beneath it when asked; stat by path and by handle; data sync, truncation and
 * preallocation; unlink, rename and mkdir. A library needs them so that no file-system call ever blocks its
 * loop: each runs in the kernel's io_uring workers or on the adapter's file threads.
 *
 * <p>Every rule of {@link AioOperations} holds here: any thread may submit, the completion runs once on the
 * loop, results are {@code -errno} on failure, misuse throws at once, the token cancels.
 *
 * <h2>Directories</h2>
 * A method that takes a {@code directory} resolves a relative {@code path} against that directory handle
 * (opened with {@link AioOpenOption#DIRECTORY}), or against the process's working directory when given
 * {@link #WORKING_DIRECTORY}, as the {@code *at(2)} system calls do; an absolute path ignores it unless the open
 * is {@linkplain AioOpenOption#BENEATH confined}. A {@code directory} that is not an open directory handle of this
 * instance completes with {@code -EBADF} ({@code -ENOTDIR} for a handle of a file).
 */
public interface AioFileOperations {

    /** The {@code directory} that stands for the working directory ({@code AT_FDCWD}); it is not a handle. */
    int WORKING_DIRECTORY = -100;

    /**
     * Opens a file or directory relative to {@code directory} ({@code openat2(2)}). Completes with the new handle,
     * or {@code -errno}: {@code -ENOENT}, {@code -EEXIST} for {@link AioOpenOption#CREATE_NEW}, {@code -EISDIR},
     * {@code -EACCES}, {@code -ELOOP}; {@code -EXDEV} when a {@linkplain AioOpenOption#BENEATH confined} path would
     * leave the directory; {@code -ENOTDIR} when {@link AioOpenOption#DIRECTORY} names a file.
     *
     * <p>With {@link AioOpenOption#BENEATH} the kernel itself confines the whole resolution beneath
     * {@code directory} ({@code RESOLVE_BENEATH}): {@code ..} above it, an absolute path, a symbolic link that
     * points outside and a {@code /proc} magic link are refused with {@code -EXDEV} atomically, so a directory swapped
     * for a link while the open runs cannot let it escape. An adapter or kernel without {@code openat2} completes
     * such an open with {@code -EOPNOTSUPP} and lacks {@link AioCapability#CONFINED_OPEN}.
     *
     * @param directory  a directory handle, or {@link #WORKING_DIRECTORY}
     * @param path       the file, relative to {@code directory} (or absolute, unless confined)
     * @param options    how to open it; empty means {@link AioOpenOption#READ}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if the path contains a NUL character, or {@link AioOpenOption#DIRECTORY}
     *                                  is combined with an option that writes or creates
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long openAt(int directory, Path path, Set<AioOpenOption> options, A attachment,
                    AioCompletion<? super A> completion);

    /**
     * Reads the metadata of the file at {@code path} into {@code into} ({@code statx(2)}, the basic fields).
     * Completes with 0, or {@code -errno}: {@code -ENOENT}, {@code -ENOTDIR}, {@code -EACCES}, {@code -ELOOP}.
     *
     * @param directory   a directory handle, or {@link #WORKING_DIRECTORY}
     * @param path        the file, relative to {@code directory} or absolute
     * @param followLinks whether a symbolic link as the last component is followed (else it is described itself)
     * @param into        filled on success; owned by the adapter until completion
     * @param attachment  handed back to the completion; may be null
     * @param completion  called once with the result
     * @param <A>         the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if the path contains a NUL character
     * @throws IllegalStateException    if {@code into}'s arena is closed, or this instance is closed
     */
    <A> long stat(int directory, Path path, boolean followLinks, AioStat into, A attachment,
                  AioCompletion<? super A> completion);

    /**
     * Reads the metadata of an open file or directory into {@code into} ({@code statx(2)} with
     * {@code AT_EMPTY_PATH}). Completes with 0 or {@code -errno}: {@code -EBADF} for an unknown handle and for
     * a socket or eventfd handle, on every adapter.
     *
     * @param handle     a file or directory handle of this instance
     * @param into       filled on success; owned by the adapter until completion
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException  if {@code into} or {@code completion} is null
     * @throws IllegalStateException if {@code into}'s arena is closed, or this instance is closed
     */
    <A> long fstat(int handle, AioStat into, A attachment, AioCompletion<? super A> completion);

    /**
     * Flushes a file's data, and only the metadata needed to read it back, to stable storage
     * ({@code fdatasync(2)}): cheaper than {@link AioOperations#fsync} when only the contents matter. Completes
     * with 0 or {@code -errno} ({@code -EINVAL} for sockets and eventfds).
     *
     * @param handle     a file handle of this instance
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException  if {@code completion} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long fdatasync(int handle, A attachment, AioCompletion<? super A> completion);

    /**
     * Sets a file's size ({@code ftruncate(2)}): cuts it, or extends it with zeros (a hole). Completes with 0 or
     * {@code -errno}: {@code -EBADF} or {@code -EINVAL} for a handle not open for writing, {@code -EFBIG}.
     *
     * @param handle     a file handle of this instance, open for writing
     * @param length     the new size, {@code >= 0}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code length < 0}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long ftruncate(int handle, long length, A attachment, AioCompletion<? super A> completion);

    /**
     * Reserves disk space for a byte range of a file ({@code fallocate(2)} with mode 0), so that later writes
     * into it cannot fail with {@code -ENOSPC}; extends the file's size when the range ends beyond it. Completes
     * with 0 or {@code -errno}: {@code -ENOSPC}, {@code -EOPNOTSUPP} where the file system cannot preallocate,
     * {@code -EBADF} for a handle not open for writing.
     *
     * @param handle     a file handle of this instance, open for writing
     * @param offset     the first byte, {@code >= 0}
     * @param length     the range's size, {@code > 0}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code offset < 0} or {@code length <= 0}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long fallocate(int handle, long offset, long length, A attachment, AioCompletion<? super A> completion);

    /**
     * Removes a name of a file, or an empty directory ({@code unlinkat(2)}, with {@code AT_REMOVEDIR} when
     * {@code directoryEntry}). Completes with 0 or {@code -errno}: {@code -ENOENT}, {@code -EISDIR} for a
     * directory without {@code directoryEntry} ({@code -ENOTDIR} for a file with it), {@code -ENOTEMPTY}.
     *
     * @param directory      a directory handle, or {@link #WORKING_DIRECTORY}
     * @param path           the name to remove, relative to {@code directory} or absolute
     * @param directoryEntry whether {@code path} names a directory to remove
     * @param attachment     handed back to the completion; may be null
     * @param completion     called once with the result
     * @param <A>            the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if the path contains a NUL character
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long unlink(int directory, Path path, boolean directoryEntry, A attachment,
                    AioCompletion<? super A> completion);

    /**
     * Renames a file or directory ({@code renameat(2)}), atomically replacing a file at the target. Completes
     * with 0 or {@code -errno}: {@code -ENOENT}, {@code -EXDEV} across file systems, {@code -EISDIR},
     * {@code -ENOTEMPTY}.
     *
     * @param fromDirectory a directory handle, or {@link #WORKING_DIRECTORY}
     * @param from          the current name, relative to {@code fromDirectory} or absolute
     * @param toDirectory   a directory handle, or {@link #WORKING_DIRECTORY}
     * @param to            the new name, relative to {@code toDirectory} or absolute
     * @param attachment    handed back to the completion; may be null
     * @param completion    called once with the result
     * @param <A>           the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if a path contains a NUL character
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long rename(int fromDirectory, Path from, int toDirectory, Path to, A attachment,
                    AioCompletion<? super A> completion);

    /**
     * Creates a directory ({@code mkdirat(2)}). Completes with 0 or {@code -errno}: {@code -EEXIST},
     * {@code -ENOENT} for a missing parent, {@code -EACCES}.
     *
     * @param directory  a directory handle, or {@link #WORKING_DIRECTORY}
     * @param path       the new directory, relative to {@code directory} or absolute
     * @param mode       its permission bits before the umask, such as {@code 0755}
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if an argument other than {@code attachment} is null
     * @throws IllegalArgumentException if the path contains a NUL character or {@code mode} has bits beyond
     *                                  {@code 07777}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long mkdir(int directory, Path path, int mode, A attachment, AioCompletion<? super A> completion);
}
