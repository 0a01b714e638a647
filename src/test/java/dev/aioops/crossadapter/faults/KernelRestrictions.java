package dev.aioops.crossadapter.faults;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Restrictions a child JVM puts on itself before it touches aioops, through {@code java.lang.foreign} (no native
 * build): a seccomp filter that fails the io_uring system calls with {@code EPERM}, a {@code RLIMIT_MEMLOCK},
 * and dropping {@code CAP_IPC_LOCK}. Each throws {@link IllegalStateException} naming the call and errno when
 * the kernel refuses it.
 */
final class KernelRestrictions {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle PRCTL = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), 1);
    private static final MethodHandle SETRLIMIT = downcall("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), -1);
    private static final MethodHandle CAPGET = downcall("capget",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1);
    private static final MethodHandle CAPSET = downcall("capset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1);
    private static final MethodHandle MLOCK = downcall("mlock",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle MUNLOCK = downcall("munlock",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);

    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    private static final int EPERM = 1;
    private static final int IO_URING_SETUP = 425;   // the same number on x86_64 and aarch64 (asm-generic)
    private static final int IO_URING_ENTER = 426;
    private static final int IO_URING_REGISTER = 427;
    // Classic BPF opcodes (linux/bpf_common.h): BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K.
    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int RET_K = 0x06;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAP_IPC_LOCK = 14;

    private KernelRestrictions() {
    }

    /**
     * Installs, on every thread of the process (TSYNC), a seccomp filter that answers {@code io_uring_setup},
     * {@code io_uring_enter} and {@code io_uring_register} with {@code EPERM}, as Docker's default profile does.
     */
    static void blockIoUring() throws Throwable {
        String arch = System.getProperty("os.arch");
        int auditArch;
        long sysSeccomp;
        switch (arch) {
            case "amd64", "x86_64" -> {
                auditArch = 0xC000003E;   // AUDIT_ARCH_X86_64
                sysSeccomp = 317;
            }
            case "aarch64" -> {
                auditArch = 0xC00000B7;   // AUDIT_ARCH_AARCH64
                sysSeccomp = 277;
            }
            default -> throw new IllegalStateException("no seccomp filter for os.arch " + arch);
        }
        int[][] program = {
                {LD_W_ABS, 0, 0, 4},                       // seccomp_data.arch
                {JEQ_K, 1, 0, auditArch},                  // another ABI: allow
                {RET_K, 0, 0, SECCOMP_RET_ALLOW},
                {LD_W_ABS, 0, 0, 0},                       // seccomp_data.nr
                {JEQ_K, 3, 0, IO_URING_SETUP},
                {JEQ_K, 2, 0, IO_URING_ENTER},
                {JEQ_K, 1, 0, IO_URING_REGISTER},
                {RET_K, 0, 0, SECCOMP_RET_ALLOW},
                {RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM},
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(8L * program.length, 8);   // struct sock_filter[]
            for (int i = 0; i < program.length; i++) {
                int[] insn = program[i];
                filter.set(JAVA_SHORT, 8L * i, (short) insn[0]);
                filter.set(JAVA_BYTE, 8L * i + 2, (byte) insn[1]);
                filter.set(JAVA_BYTE, 8L * i + 3, (byte) insn[2]);
                filter.set(JAVA_INT, 8L * i + 4, insn[3]);
            }
            MemorySegment fprog = arena.allocate(16, 8);                      // struct sock_fprog
            fprog.set(JAVA_SHORT, 0, (short) program.length);
            fprog.set(ADDRESS, 8, filter);
            MemorySegment errno = arena.allocate(CAPTURE);
            check((int) PRCTL.invoke(errno, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L), errno,
                    "prctl(PR_SET_NO_NEW_PRIVS)");
            long r = (long) SYSCALL.invoke(errno, sysSeccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                    fprog);
            if (r > 0) {
                throw new IllegalStateException("seccomp TSYNC failed on thread " + r);
            }
            check((int) r, errno, "seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)");
        }
    }

    /** Sets both the soft and the hard {@code RLIMIT_MEMLOCK} of the process. */
    static void limitMemlock(long bytes) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(16, 8);                      // struct rlimit
            limit.set(JAVA_LONG, 0, bytes);
            limit.set(JAVA_LONG, 8, bytes);
            MemorySegment errno = arena.allocate(CAPTURE);
            check((int) SETRLIMIT.invoke(errno, RLIMIT_MEMLOCK, limit), errno, "setrlimit(RLIMIT_MEMLOCK)");
        }
    }

    /**
     * Drops {@code CAP_IPC_LOCK} from the calling thread's effective and permitted sets. Capabilities are per
     * thread: threads this one starts afterwards inherit the reduced set, threads that exist already do not.
     */
    static void dropIpcLock() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);                      // struct __user_cap_header_struct
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            MemorySegment data = arena.allocate(24, 4);                       // struct __user_cap_data_struct[2]
            MemorySegment errno = arena.allocate(CAPTURE);
            check((int) CAPGET.invoke(errno, header, data), errno, "capget");
            int mask = ~(1 << CAP_IPC_LOCK);
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & mask);                // effective
            data.set(JAVA_INT, 4, data.get(JAVA_INT, 4) & mask);                // permitted
            check((int) CAPSET.invoke(errno, header, data), errno, "capset");
        }
    }

    /**
     * Whether the calling thread may lock {@code bytes} of memory now; unlocks them again.
     *
     * @return {@code null} if it may, else the errno name of the refusal
     */
    static String tryLock(long bytes) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(bytes, 4096);
            MemorySegment errno = arena.allocate(CAPTURE);
            int r = (int) MLOCK.invoke(errno, memory, bytes);
            if (r == 0) {
                int ignored = (int) MUNLOCK.invoke(errno, memory, bytes);
                return null;
            }
            return "errno " + (int) ERRNO.get(errno, 0L);
        }
    }

    private static void check(int result, MemorySegment errno, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed: errno " + (int) ERRNO.get(errno, 0L));
        }
    }

    /** A libc function whose handle takes the errno capture segment first; variadic from an index, or -1. */
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        Linker.Option capture = Linker.Option.captureCallState("errno");
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow();
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, descriptor, capture)
                : LINKER.downcallHandle(symbol, descriptor, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }
}
