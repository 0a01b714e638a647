package dev.aioops.epoll.internal;

import java.nio.channels.FileChannel;

/** An open file: its channel, its access mode, and the pool operations still using it. */
final class FileResource extends Resource {

    final FileChannel channel;
    final boolean readable;
    final boolean writable;
    /** {@code O_APPEND} with reading too, which {@link FileChannel} refuses: emulated by writing at the size. */
    final boolean emulatedAppend;
    /** Operations handed to the file pool and not yet back. Loop-confined. */
    final OpList inPool = new OpList();
    /** A close waiting for {@link #inPool} to empty. Loop-confined. */
    Op closeOp;

    FileResource(FileChannel channel, boolean readable, boolean writable, boolean emulatedAppend) {
        this.channel = channel;
        this.readable = readable;
        this.writable = writable;
        this.emulatedAppend = emulatedAppend;
    }
}
