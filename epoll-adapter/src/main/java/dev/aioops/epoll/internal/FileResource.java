package dev.aioops.epoll.internal;

/**
 * An open file or directory: its raw descriptor, its access mode, and the pool operations still using it. The
 * descriptor is closed only when none is ({@link FileDriver}).
 */
final class FileResource extends Resource {

    final int fd;
    final boolean readable;
    final boolean writable;
    /** Opened with {@code DIRECTORY}: the base of relative paths, never read or written. */
    final boolean directory;
    /** Operations handed to the file pool that use the descriptor and are not yet back. Loop-confined. */
    final OpList inPool = new OpList();
    /**
     * Pool operations that use the descriptor as the second directory of a rename, and zero-copy sends of the file
     * (from submission to completion). Loop-confined.
     */
    int secondUses;
    /** A close waiting for {@link #inPool} to empty and {@link #secondUses} to reach 0. Loop-confined. */
    Op closeOp;

    /** Loop: whether no pool operation uses the descriptor. */
    boolean idle() {
        return inPool.isEmpty() && secondUses == 0;
    }

    FileResource(int fd, boolean readable, boolean writable, boolean directory) {
        this.fd = fd;
        this.readable = readable;
        this.writable = writable;
        this.directory = directory;
    }
}
