package dev.aioops.examples.http;

import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Open files kept for the next requests, as nginx's {@code open_file_cache} with {@code open_file_cache_valid}: a
 * regular file's handle and metadata, opened beneath the root and statted once, serve every request for its path
 * until the entry is {@code validity} old, which saves an open, a stat and a close per request. Until then a file
 * replaced on disk is still served in its old version, and one rewritten in place may not match the length its
 * metadata says (the server then drops the connection, as for any file that shrinks while it is sent): so it is
 * off unless asked for ({@link HttpServerConfig#withOpenFileCache}).
 *
 * <p>A connection that uses an entry holds it ({@link #acquire}, {@link #add}) until it {@link #release}s it; an
 * entry dropped (expired, pushed out by a newer one, the server closing) closes its handle once nobody holds it, so
 * that no read or send of another connection ever finds its file closed. Positional reads only: the handle's file
 * position is never used. One per server; loop thread only.
 */
final class OpenFileCache {

    /** The most files kept open at once (nginx's {@code max} in the benchmark's configuration). */
    static final int CAPACITY = 1000;

    /** A file kept open: its handle, its metadata and the validators made from them. */
    static final class Entry {
        final String path;
        final int handle;
        final AioStat stat;
        final String etag;
        final String validators;
        private final long validUntil;
        private int users;
        private boolean dropped;

        private Entry(String path, int handle, AioStat stat, long validUntil) {
            this.path = path;
            this.handle = handle;
            this.stat = stat;
            this.validUntil = validUntil;
            this.etag = Validators.etag(stat);
            this.validators = Validators.headers(etag, stat);
        }
    }

    private final AioOperations ops;
    private final long validityNanos;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final ArrayDeque<AioStat> spareStats = new ArrayDeque<>();
    /** Holds the entries' metadata; made at the first entry, freed by {@link #close()}. */
    private Arena arena;

    /**
     * @param ops           the operations that opened the handles, which close them
     * @param validityNanos how long an entry serves after its open; 0 turns the cache off
     */
    OpenFileCache(AioOperations ops, long validityNanos) {
        this.ops = ops;
        this.validityNanos = validityNanos;
    }

    boolean enabled() {
        return validityNanos > 0;
    }

    /**
     * The entry of {@code path} while it is valid, now held by the caller; null when there is none (an expired one
     * is dropped).
     */
    Entry acquire(String path) {
        Entry e = entries.get(path);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.validUntil >= 0) {
            drop(e);
            return null;
        }
        e.users++;
        return e;
    }

    /**
     * Keeps a regular file just opened and statted, held by the caller.
     *
     * @return its entry, or null when the cache is off or {@code path} has a valid entry already (another
     *         connection opened it meanwhile): the caller then keeps and closes its own handle
     */
    Entry add(String path, int handle, AioStat stat) {
        if (!enabled() || entries.containsKey(path) || arena != null && !arena.scope().isAlive()) {
            return null;
        }
        if (entries.size() >= CAPACITY) {
            Iterator<Entry> oldest = entries.values().iterator();
            drop(oldest.next());
        }
        if (arena == null) {
            arena = Arena.ofShared();
        }
        AioStat copy = spareStats.isEmpty() ? AioStat.allocate(arena) : spareStats.pop();
        MemorySegment.copy(stat.struct(), 0, copy.struct(), 0, AioStat.STRUCT_SIZE);
        Entry e = new Entry(path, handle, copy, System.nanoTime() + validityNanos);
        e.users = 1;
        entries.put(path, e);
        return e;
    }

    /** The caller is done with {@code e}: a dropped entry nobody holds any more closes its handle. */
    void release(Entry e) {
        e.users--;
        closeIfUnused(e);
    }

    /** Drops every entry (the server is closing); those still held close when released. */
    void clear() {
        for (Entry e : entries.values().toArray(Entry[]::new)) {
            drop(e);
        }
    }

    /** Frees the entries' metadata; only once no connection holds an entry. Idempotent. */
    void close() {
        clear();
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** How many files are kept (for tests). */
    int size() {
        return entries.size();
    }

    private void drop(Entry e) {
        e.dropped = true;
        entries.remove(e.path, e);
        closeIfUnused(e);
    }

    private void closeIfUnused(Entry e) {
        if (!e.dropped || e.users != 0) {
            return;
        }
        e.users = -1; // closed once
        spareStats.push(e.stat);
        try {
            ops.close(e.handle, null, (r, a) -> { });
        } catch (IllegalStateException opsClosed) {
            // the operations closed every handle
        }
    }
}
