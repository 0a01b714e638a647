package dev.aioops.linux.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How this module calls the C library: downcall handles that capture {@code errno}, one capture segment per
 * thread, and {@code -errno} results. The threads that call it are file threads, which may block.
 */
final class Syscalls {

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Each thread's capture segment, freed with the thread's last reference to it (an automatic arena). */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** The advice given when the JVM refuses this module native access. */
    static final String NATIVE_ACCESS_HINT = "aioops makes file-system calls (openat2, statx, fallocate) through "
            + "java.lang.foreign and needs native access: run java with --enable-native-access=dev.aioops.linux "
            + "(module path) or --enable-native-access=ALL-UNNAMED (class path)";

    private Syscalls() {
    }

    /** The calling thread's errno capture segment. */
    static MemorySegment state() {
        return STATE.get();
    }

    /** {@code r}, or {@code -errno} when {@code r == -1}. */
    static int result(int r, MemorySegment state) {
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    /** {@code r}, or {@code -errno} when {@code r == -1}. */
    static long result(long r, MemorySegment state) {
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    @SuppressWarnings("restricted") // the only place this module creates downcalls; see the message below
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        try {
            return linker.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException denied) {
            throw new IllegalCallerException(NATIVE_ACCESS_HINT, denied);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
