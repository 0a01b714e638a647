package dev.aioops.uring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How this module calls the C library: the one place that makes downcall handles (and explains a missing
 * {@code --enable-native-access}), captures {@code errno} and turns a failed call into {@code -errno}. Used by
 * {@link UringSyscalls} and {@link dev.aioops.uring.ring.LibC}. Deliberately not exported: a downcall factory
 * handed to another module would let that module call native code under this module's native access.
 */
public final class Downcalls {

    /** The advice given when the JVM refuses this module native access. */
    public static final String NATIVE_ACCESS_HINT = "the io_uring adapter calls the kernel through java.lang.foreign "
            + "and needs native access: run java with --enable-native-access=dev.aioops.uring (module path) or "
            + "--enable-native-access=ALL-UNNAMED (class path)";

    /** The linker option that captures {@code errno} into a segment of {@link #newErrnoState}. */
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Downcalls() {
    }

    /**
     * Allocates an errno capture segment.
     *
     * @param arena the owner of the segment
     * @return a segment for the {@code state} parameter of the calls made with {@link #CAPTURE_ERRNO}
     */
    public static MemorySegment newErrnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * Makes a downcall handle for a function of the C library, explaining a missing {@code --enable-native-access}.
     *
     * @param name       the symbol
     * @param descriptor its signature
     * @param options    linker options
     * @return the handle
     */
    @SuppressWarnings("restricted") // the only place this module creates downcalls; see NATIVE_ACCESS_HINT
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        try {
            return linker.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException denied) {
            throw new IllegalCallerException(NATIVE_ACCESS_HINT, denied);
        }
    }

    /**
     * A call's result, or {@code -errno} when it returned -1.
     *
     * @param r     what the call returned
     * @param state its errno capture segment
     * @return {@code r}, or {@code -errno}
     */
    public static long result(long r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    /**
     * A call's result, or {@code -errno} when it returned -1.
     *
     * @param r     what the call returned
     * @param state its errno capture segment
     * @return {@code r}, or {@code -errno}
     */
    public static int result(int r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    /**
     * The captured {@code errno}.
     *
     * @param state an errno capture segment
     * @return the errno the last call through it left
     */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * Rethrows what {@code invokeExact} threw; a downcall throws no checked exception.
     *
     * @param t the throwable
     * @return never returns; declared so that callers can write {@code throw rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
