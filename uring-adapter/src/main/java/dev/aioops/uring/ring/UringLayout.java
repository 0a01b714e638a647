package dev.aioops.uring.ring;

/**
 * The io_uring kernel ABI this adapter relies on, in one place: system call numbers, struct offsets, opcodes and
 * flags (no other class defines one). Values are those of {@code include/uapi/linux/io_uring.h} (Linux 6.x;
 * offsets checked with {@code offsetof} against the header and at run time by {@code UringLayoutTest}, which
 * round-trips every field through real operations). Which opcodes the running kernel has is asked once per ring at
 * start with {@code IORING_REGISTER_PROBE} (the adapter's {@code OpcodeSupport}); an operation whose opcode is
 * missing completes with {@code -EOPNOTSUPP}. The struct layouts are the same on every 64-bit architecture; the few
 * libc constants that differ (open flags) are in {@code dev.aioops.linux.internal.ArchOpenFlags}, chosen by
 * {@code os.arch}.
 */
public final class UringLayout {

    private UringLayout() {
    }

    // ---- system calls (the io_uring numbers are the same on every architecture since Linux 5.1) ----

    /** {@code __NR_io_uring_setup}. */
    public static final long SYS_IO_URING_SETUP = 425;
    /** {@code __NR_io_uring_enter}. */
    public static final long SYS_IO_URING_ENTER = 426;
    /** {@code __NR_io_uring_register}. */
    public static final long SYS_IO_URING_REGISTER = 427;

    // ---- struct io_uring_params (120 bytes) ----

    /** {@code sizeof(struct io_uring_params)}. */
    public static final long PARAMS_SIZE = 120;
    /** {@code io_uring_params.sq_entries} (u32). */
    public static final long PARAMS_SQ_ENTRIES = 0;
    /** {@code io_uring_params.cq_entries} (u32). */
    public static final long PARAMS_CQ_ENTRIES = 4;
    /** {@code io_uring_params.flags} (u32). */
    public static final long PARAMS_FLAGS = 8;
    /** {@code io_uring_params.sq_thread_cpu} (u32). */
    public static final long PARAMS_SQ_THREAD_CPU = 12;
    /** {@code io_uring_params.sq_thread_idle} (u32, milliseconds). */
    public static final long PARAMS_SQ_THREAD_IDLE = 16;
    /** {@code io_uring_params.features} (u32, written by the kernel). */
    public static final long PARAMS_FEATURES = 20;
    /** {@code io_uring_params.wq_fd} (u32). */
    public static final long PARAMS_WQ_FD = 24;
    /** {@code io_uring_params.resv[3]}: must be zero, else {@code EINVAL}. */
    public static final long PARAMS_RESV = 28;
    /** {@code io_uring_params.sq_off} (struct io_sqring_offsets, 40 bytes). */
    public static final long PARAMS_SQ_OFF = 40;
    /** {@code io_uring_params.cq_off} (struct io_cqring_offsets, 40 bytes). */
    public static final long PARAMS_CQ_OFF = 80;

    // ---- struct io_sqring_offsets, relative to PARAMS_SQ_OFF; each value is an offset into the SQ ring ----

    /** {@code io_sqring_offsets.head}. */
    public static final long SQOFF_HEAD = 0;
    /** {@code io_sqring_offsets.tail}. */
    public static final long SQOFF_TAIL = 4;
    /** {@code io_sqring_offsets.ring_mask}. */
    public static final long SQOFF_RING_MASK = 8;
    /** {@code io_sqring_offsets.ring_entries}. */
    public static final long SQOFF_RING_ENTRIES = 12;
    /** {@code io_sqring_offsets.flags}. */
    public static final long SQOFF_FLAGS = 16;
    /** {@code io_sqring_offsets.dropped}. */
    public static final long SQOFF_DROPPED = 20;
    /** {@code io_sqring_offsets.array}. */
    public static final long SQOFF_ARRAY = 24;

    // ---- struct io_cqring_offsets, relative to PARAMS_CQ_OFF ----

    /** {@code io_cqring_offsets.head}. */
    public static final long CQOFF_HEAD = 0;
    /** {@code io_cqring_offsets.tail}. */
    public static final long CQOFF_TAIL = 4;
    /** {@code io_cqring_offsets.ring_mask}. */
    public static final long CQOFF_RING_MASK = 8;
    /** {@code io_cqring_offsets.ring_entries}. */
    public static final long CQOFF_RING_ENTRIES = 12;
    /** {@code io_cqring_offsets.overflow}. */
    public static final long CQOFF_OVERFLOW = 16;
    /** {@code io_cqring_offsets.cqes}. */
    public static final long CQOFF_CQES = 20;
    /** {@code io_cqring_offsets.flags}. */
    public static final long CQOFF_FLAGS = 24;

    // ---- mmap offsets ----

    /** {@code IORING_OFF_SQ_RING}. */
    public static final long OFF_SQ_RING = 0L;
    /** {@code IORING_OFF_CQ_RING}. */
    public static final long OFF_CQ_RING = 0x8000000L;
    /** {@code IORING_OFF_SQES}. */
    public static final long OFF_SQES = 0x10000000L;

    // ---- struct io_uring_sqe (64 bytes) ----

    /** {@code sizeof(struct io_uring_sqe)} without {@code IORING_SETUP_SQE128}. */
    public static final long SQE_SIZE = 64;
    /** {@code sqe.opcode} (u8). */
    public static final long SQE_OPCODE = 0;
    /** {@code sqe.flags} (u8, IOSQE_*). */
    public static final long SQE_FLAGS = 1;
    /** {@code IOSQE_IO_LINK} in {@link #SQE_FLAGS}: the next SQE starts only after this one (bit 2). */
    public static final int IOSQE_IO_LINK = 1 << 2;
    /** {@code IOSQE_BUFFER_SELECT}: the kernel picks the buffer from the group in {@code buf_group} (bit 5). */
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    /** {@code IOSQE_CQE_SKIP_SUCCESS} (Linux 5.17): no CQE unless the request fails (bit 6). */
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;
    /** {@code sqe.ioprio} (u16; accept and send/recv flags live here too). */
    public static final long SQE_IOPRIO = 2;
    /** {@code sqe.fd} (s32). */
    public static final long SQE_FD = 4;
    /** {@code sqe.off} / {@code addr2} (u64). */
    public static final long SQE_OFF = 8;
    /** {@code sqe.addr} (u64). */
    public static final long SQE_ADDR = 16;
    /** {@code sqe.len} (u32). */
    public static final long SQE_LEN = 24;
    /** {@code sqe.rw_flags} and its union: fsync, timeout, accept, cancel, open, msg flags (u32). */
    public static final long SQE_OP_FLAGS = 28;
    /** {@code sqe.user_data} (u64). */
    public static final long SQE_USER_DATA = 32;
    /** {@code sqe.buf_index} (u16, packed). */
    public static final long SQE_BUF_INDEX = 40;
    /** {@code sqe.personality} (u16). */
    public static final long SQE_PERSONALITY = 42;
    /** {@code sqe.splice_fd_in} / {@code file_index} (u32). */
    public static final long SQE_FILE_INDEX = 44;
    /** {@code sqe.addr3} (u64). */
    public static final long SQE_ADDR3 = 48;
    /** {@code sqe.__pad2[0]} (u64). */
    public static final long SQE_PAD2 = 56;

    // ---- struct io_uring_cqe (16 bytes) ----

    /** {@code sizeof(struct io_uring_cqe)} without {@code IORING_SETUP_CQE32}. */
    public static final long CQE_SIZE = 16;
    /** {@code cqe.user_data} (u64). */
    public static final long CQE_USER_DATA = 0;
    /** {@code cqe.res} (s32). */
    public static final long CQE_RES = 8;
    /** {@code cqe.flags} (u32). */
    public static final long CQE_FLAGS = 12;
    /** {@code IORING_CQE_F_BUFFER}: the upper 16 bits of the flags name the provided buffer used. */
    public static final int CQE_F_BUFFER = 1;
    /** {@code IORING_CQE_F_MORE}: a multishot request goes on; without it, this is its last CQE. */
    public static final int CQE_F_MORE = 1 << 1;
    /**
     * {@code IORING_CQE_F_BUF_MORE} (Linux 6.12, incrementally consumed buffer rings): the kernel keeps the buffer
     * and appends the next data after this CQE's; without it the buffer is the application's again.
     */
    public static final int CQE_F_BUF_MORE = 1 << 4;
    /** {@code IORING_CQE_BUFFER_SHIFT}: where the buffer id starts in the CQE flags. */
    public static final int CQE_BUFFER_SHIFT = 16;
    /** {@code IORING_ACCEPT_MULTISHOT} in {@code sqe.ioprio} of an accept (Linux 5.19). */
    public static final int ACCEPT_MULTISHOT = 1;
    /** {@code IORING_RECV_MULTISHOT} in {@code sqe.ioprio} of a recv (Linux 6.0). */
    public static final int RECV_MULTISHOT = 1 << 1;
    /** {@code IORING_CQE_F_SOCK_NONEMPTY}: the socket still had data after the recv (Linux 5.19). */
    public static final int CQE_F_SOCK_NONEMPTY = 1 << 2;

    // ---- struct io_uring_getevents_arg (24 bytes), for IORING_ENTER_EXT_ARG ----

    /** {@code sizeof(struct io_uring_getevents_arg)}. */
    public static final long GETEVENTS_ARG_SIZE = 24;
    /** {@code io_uring_getevents_arg.sigmask} (u64 pointer). */
    public static final long GETEVENTS_ARG_SIGMASK = 0;
    /** {@code io_uring_getevents_arg.sigmask_sz} (u32). */
    public static final long GETEVENTS_ARG_SIGMASK_SZ = 8;
    /** {@code io_uring_getevents_arg.pad} (u32; {@code min_wait_usec} since Linux 6.12): must be zero. */
    public static final long GETEVENTS_ARG_PAD = 12;
    /** {@code io_uring_getevents_arg.ts} (u64 pointer to struct __kernel_timespec). */
    public static final long GETEVENTS_ARG_TS = 16;

    /** {@code sizeof(struct __kernel_timespec)}: {@code tv_sec} and {@code tv_nsec}, both s64. */
    public static final long TIMESPEC_SIZE = 16;
    /** {@code __kernel_timespec.tv_sec} (s64). */
    public static final long TIMESPEC_TV_SEC = 0;
    /** {@code __kernel_timespec.tv_nsec} (s64). */
    public static final long TIMESPEC_TV_NSEC = 8;

    // ---- struct io_uring_probe (16 bytes + 8 per op) ----

    /** {@code sizeof(struct io_uring_probe)}. */
    public static final long PROBE_SIZE = 16;
    /** {@code io_uring_probe.last_op} (u8). */
    public static final long PROBE_LAST_OP = 0;
    /** {@code io_uring_probe.ops_len} (u8). */
    public static final long PROBE_OPS_LEN = 1;
    /** {@code sizeof(struct io_uring_probe_op)}. */
    public static final long PROBE_OP_SIZE = 8;
    /** {@code io_uring_probe_op.op} (u8). */
    public static final long PROBE_OP_OP = 0;
    /** {@code io_uring_probe_op.flags} (u16). */
    public static final long PROBE_OP_FLAGS = 2;
    /** {@code IO_URING_OP_SUPPORTED}. */
    public static final int IO_URING_OP_SUPPORTED = 1;

    // ---- struct iovec (16 bytes) ----

    /** {@code sizeof(struct iovec)}. */
    public static final long IOVEC_SIZE = 16;
    /** {@code iovec.iov_base} (pointer). */
    public static final long IOVEC_BASE = 0;
    /** {@code iovec.iov_len} (size_t). */
    public static final long IOVEC_LEN = 8;

    // ---- struct msghdr (56 bytes on 64-bit Linux, x86-64 and arm64), for SENDMSG and RECVMSG ----

    /** {@code sizeof(struct msghdr)}. */
    public static final long MSGHDR_SIZE = 56;
    /** {@code msghdr.msg_name} (pointer): the peer's {@code sockaddr}, or null. */
    public static final long MSGHDR_NAME = 0;
    /** {@code msghdr.msg_namelen} (socklen_t): its length; the kernel writes back what a receive stored. */
    public static final long MSGHDR_NAMELEN = 8;
    /** {@code msghdr.msg_iov} (pointer to {@code struct iovec}). */
    public static final long MSGHDR_IOV = 16;
    /** {@code msghdr.msg_iovlen} (size_t). */
    public static final long MSGHDR_IOVLEN = 24;
    /** {@code msghdr.msg_control} (pointer), unused: null. */
    public static final long MSGHDR_CONTROL = 32;
    /** {@code msghdr.msg_controllen} (size_t). */
    public static final long MSGHDR_CONTROLLEN = 40;
    /** {@code msghdr.msg_flags} (int): written by a receive ({@code MSG_TRUNC} when the datagram was cut). */
    public static final long MSGHDR_FLAGS = 48;

    // ---- setup flags ----

    /** {@code IORING_SETUP_SQPOLL}. */
    public static final int SETUP_SQPOLL = 1 << 1;
    /** {@code IORING_SETUP_CQSIZE}. */
    public static final int SETUP_CQSIZE = 1 << 3;
    /** {@code IORING_SETUP_CLAMP}. */
    public static final int SETUP_CLAMP = 1 << 4;
    /** {@code IORING_SETUP_ATTACH_WQ}. */
    public static final int SETUP_ATTACH_WQ = 1 << 5;
    /** {@code IORING_SETUP_R_DISABLED}. */
    public static final int SETUP_R_DISABLED = 1 << 6;
    /** {@code IORING_SETUP_SUBMIT_ALL}. */
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    /** {@code IORING_SETUP_COOP_TASKRUN}. */
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    /** {@code IORING_SETUP_TASKRUN_FLAG}: the kernel sets {@link #SQ_TASKRUN} while task work is pending (5.19). */
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    /** {@code IORING_SETUP_SINGLE_ISSUER}. */
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    /** {@code IORING_SETUP_DEFER_TASKRUN}: needs SINGLE_ISSUER; completions appear only on GETEVENTS. */
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // ---- features ----

    /** {@code IORING_FEAT_SINGLE_MMAP}: SQ and CQ rings share one mapping. */
    public static final int FEAT_SINGLE_MMAP = 1;
    /** {@code IORING_FEAT_NODROP}: overflowed completions are kept, never dropped. */
    public static final int FEAT_NODROP = 1 << 1;
    /** {@code IORING_FEAT_SUBMIT_STABLE}: SQE data is consumed at submission. */
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    /** {@code IORING_FEAT_RW_CUR_POS}: offset -1 means the current file position. */
    public static final int FEAT_RW_CUR_POS = 1 << 3;
    /** {@code IORING_FEAT_FAST_POLL}. */
    public static final int FEAT_FAST_POLL = 1 << 5;
    /** {@code IORING_FEAT_EXT_ARG}: io_uring_enter takes a timeout through {@code io_uring_getevents_arg}. */
    public static final int FEAT_EXT_ARG = 1 << 8;

    // ---- SQ ring flags ----

    /** {@code IORING_SQ_NEED_WAKEUP}: the SQPOLL thread sleeps. */
    public static final int SQ_NEED_WAKEUP = 1;
    /** {@code IORING_SQ_CQ_OVERFLOW}: completions wait in the kernel's overflow list. */
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    /** {@code IORING_SQ_TASKRUN}. */
    public static final int SQ_TASKRUN = 1 << 2;

    // ---- enter flags ----

    /** {@code IORING_ENTER_GETEVENTS}. */
    public static final int ENTER_GETEVENTS = 1;
    /** {@code IORING_ENTER_SQ_WAKEUP}. */
    public static final int ENTER_SQ_WAKEUP = 1 << 1;
    /** {@code IORING_ENTER_SQ_WAIT}. */
    public static final int ENTER_SQ_WAIT = 1 << 2;
    /** {@code IORING_ENTER_EXT_ARG}. */
    public static final int ENTER_EXT_ARG = 1 << 3;
    /** {@code IORING_ENTER_REGISTERED_RING}: the fd argument is an index from {@link #REGISTER_RING_FDS}. */
    public static final int ENTER_REGISTERED_RING = 1 << 4;

    // ---- register opcodes ----

    /** {@code IORING_REGISTER_BUFFERS}. */
    public static final int REGISTER_BUFFERS = 0;
    /** {@code IORING_UNREGISTER_BUFFERS}. */
    public static final int UNREGISTER_BUFFERS = 1;
    /** {@code IORING_REGISTER_EVENTFD}. */
    public static final int REGISTER_EVENTFD = 4;
    /** {@code IORING_UNREGISTER_EVENTFD}. */
    public static final int UNREGISTER_EVENTFD = 5;
    /** {@code IORING_REGISTER_PROBE}. */
    public static final int REGISTER_PROBE = 8;
    /** {@code IORING_REGISTER_ENABLE_RINGS}. */
    public static final int REGISTER_ENABLE_RINGS = 12;
    /** {@code IORING_REGISTER_IOWQ_MAX_WORKERS}: arg is {@code unsigned int[2]} (bounded, unbounded). */
    public static final int REGISTER_IOWQ_MAX_WORKERS = 19;
    /** {@code IORING_REGISTER_RING_FDS}: arg is {@code struct io_uring_rsrc_update[]}, per thread (5.18). */
    public static final int REGISTER_RING_FDS = 20;
    /** {@code IORING_UNREGISTER_RING_FDS}. */
    public static final int UNREGISTER_RING_FDS = 21;

    // ---- struct io_uring_rsrc_update (16 bytes), for REGISTER_RING_FDS ----

    /** {@code io_uring_rsrc_update.offset} (u32): the index, or -1 to let the kernel choose (written back). */
    public static final long RSRC_UPDATE_OFFSET = 0;
    /** {@code io_uring_rsrc_update.data} (u64): the ring fd. */
    public static final long RSRC_UPDATE_DATA = 8;
    /** {@code sizeof(struct io_uring_rsrc_update)}. */
    public static final long RSRC_UPDATE_SIZE = 16;
    /** {@code IORING_REGISTER_PBUF_RING} (Linux 5.19): arg a {@code struct io_uring_buf_reg}, nr_args 1. */
    public static final int REGISTER_PBUF_RING = 22;
    /** {@code IORING_UNREGISTER_PBUF_RING}. */
    public static final int UNREGISTER_PBUF_RING = 23;
    /** {@code IOU_PBUF_RING_INC} in {@code io_uring_buf_reg.flags} (Linux 6.12): buffers consumed incrementally. */
    public static final int PBUF_RING_INC = 2;
    /** {@code sizeof(struct io_uring_buf_reg)}. */
    public static final long BUF_REG_SIZE = 40;
    /** {@code io_uring_buf_reg.ring_addr} (u64). */
    public static final long BUF_REG_RING_ADDR = 0;
    /** {@code io_uring_buf_reg.ring_entries} (u32, a power of two up to 32768). */
    public static final long BUF_REG_RING_ENTRIES = 8;
    /** {@code io_uring_buf_reg.bgid} (u16). */
    public static final long BUF_REG_BGID = 12;
    /** {@code io_uring_buf_reg.flags} (u16). */
    public static final long BUF_REG_FLAGS = 14;
    /** {@code sizeof(struct io_uring_buf)}: one entry of a provided buffer ring. */
    public static final long BUF_SIZE = 16;
    /** {@code io_uring_buf.addr} (u64). */
    public static final long BUF_ADDR = 0;
    /** {@code io_uring_buf.len} (u32). */
    public static final long BUF_LEN = 8;
    /** {@code io_uring_buf.bid} (u16). */
    public static final long BUF_BID = 12;
    /** {@code io_uring_buf_ring.tail} (u16): overlays {@code resv} of entry 0. */
    public static final long BUF_RING_TAIL = 14;

    // ---- opcodes (enum io_uring_op) ----

    /** {@code IORING_OP_NOP}. */
    public static final int OP_NOP = 0;
    /** {@code IORING_OP_READV}: {@code addr} an {@code iovec} array, {@code len} its count (Linux 5.1). */
    public static final int OP_READV = 1;
    /** {@code IORING_OP_WRITEV}: as {@link #OP_READV}. */
    public static final int OP_WRITEV = 2;
    /** {@code IORING_OP_FSYNC}. */
    public static final int OP_FSYNC = 3;
    /** {@code IORING_OP_READ_FIXED}. */
    public static final int OP_READ_FIXED = 4;
    /** {@code IORING_OP_WRITE_FIXED}. */
    public static final int OP_WRITE_FIXED = 5;
    /** {@code IORING_OP_POLL_ADD}: one-shot, the {@code POLL*} mask in {@code poll32_events} (op_flags). */
    public static final int OP_POLL_ADD = 6;
    /** {@code IORING_OP_SENDMSG}: {@code addr} a {@code struct msghdr}, {@code msg_flags} its flags (Linux 5.3). */
    public static final int OP_SENDMSG = 9;
    /** {@code IORING_OP_RECVMSG}: as {@link #OP_SENDMSG}. */
    public static final int OP_RECVMSG = 10;
    /** {@code IORING_OP_TIMEOUT}. */
    public static final int OP_TIMEOUT = 11;
    /** {@code IORING_OP_ACCEPT}. */
    public static final int OP_ACCEPT = 13;
    /** {@code IORING_OP_ASYNC_CANCEL}. */
    public static final int OP_ASYNC_CANCEL = 14;
    /**
     * {@code IORING_OP_LINK_TIMEOUT} (Linux 5.5): a timeout for the SQE before it, which carries
     * {@link #IOSQE_IO_LINK}; when it fires, that request is cancelled ({@code -ECANCELED}).
     */
    public static final int OP_LINK_TIMEOUT = 15;
    /** {@code IORING_OP_CONNECT}. */
    public static final int OP_CONNECT = 16;
    /** {@code IORING_OP_FALLOCATE}. */
    public static final int OP_FALLOCATE = 17;
    /** {@code IORING_OP_OPENAT}. */
    public static final int OP_OPENAT = 18;
    /** {@code IORING_OP_CLOSE}. */
    public static final int OP_CLOSE = 19;
    /** {@code IORING_OP_STATX}. */
    public static final int OP_STATX = 21;
    /** {@code IORING_OP_READ}. */
    public static final int OP_READ = 22;
    /** {@code IORING_OP_WRITE}. */
    public static final int OP_WRITE = 23;
    /** {@code IORING_OP_SEND}. */
    public static final int OP_SEND = 26;
    /** {@code IORING_OP_RECV}. */
    public static final int OP_RECV = 27;
    /** {@code IORING_OP_OPENAT2}. */
    public static final int OP_OPENAT2 = 28;
    /**
     * {@code IORING_OP_SPLICE} (Linux 5.7): {@code fd} the output, {@code off} its position, {@code addr} the input's
     * position ({@code splice_off_in}; -1 for none), {@code splice_fd_in} the input, {@code len}, {@code splice_flags}.
     */
    public static final int OP_SPLICE = 30;
    /** {@code IORING_OP_RENAMEAT} (Linux 5.11). */
    public static final int OP_RENAMEAT = 35;
    /** {@code IORING_OP_UNLINKAT} (Linux 5.11). */
    public static final int OP_UNLINKAT = 36;
    /** {@code IORING_OP_SHUTDOWN} (Linux 5.11): {@code fd}, and {@code len} holds {@code how}. */
    public static final int OP_SHUTDOWN = 34;
    /** {@code IORING_OP_MKDIRAT} (Linux 5.15). */
    public static final int OP_MKDIRAT = 37;
    /** {@code IORING_OP_MSG_RING}. */
    public static final int OP_MSG_RING = 40;
    /** {@code IORING_OP_SOCKET}. */
    public static final int OP_SOCKET = 45;
    /** {@code IORING_OP_SEND_ZC} (Linux 6.0). */
    public static final int OP_SEND_ZC = 47;
    /** {@code IORING_OP_BIND} (Linux 6.11). */
    public static final int OP_BIND = 56;
    /** {@code IORING_OP_LISTEN} (Linux 6.11). */
    public static final int OP_LISTEN = 57;
    /** {@code IORING_OP_FTRUNCATE} (Linux 6.9). */
    public static final int OP_FTRUNCATE = 55;
    /**
     * The opcodes this adapter submits on every kernel it supports, for the probe's tests; {@code SOCKET},
     * {@code BIND} and {@code LISTEN} only where the probe shows them.
     */
    public static final int[] OPS_USED = {OP_NOP, OP_FSYNC, OP_READ_FIXED, OP_WRITE_FIXED, OP_TIMEOUT, OP_ACCEPT,
        OP_ASYNC_CANCEL, OP_CONNECT, OP_OPENAT, OP_READ, OP_WRITE, OP_SEND, OP_RECV, OP_FALLOCATE, OP_STATX,
        OP_OPENAT2, OP_RENAMEAT, OP_UNLINKAT, OP_SHUTDOWN, OP_READV, OP_WRITEV,
        OP_LINK_TIMEOUT, OP_SENDMSG, OP_RECVMSG, OP_SPLICE, OP_POLL_ADD};
    /**
     * The opcodes without which the adapter cannot work at all (Linux 5.6): the loop's wake-up read, timers and
     * cancellation. Operations whose opcode is missing complete with {@code -EOPNOTSUPP} or fall back.
     */
    public static final int[] OPS_REQUIRED = {OP_READ, OP_WRITE, OP_TIMEOUT, OP_ASYNC_CANCEL};

    // ---- per-op flags ----

    /** {@code sizeof(struct open_how)}: flags, mode, resolve, each a {@code u64}. */
    public static final int OPEN_HOW_SIZE = 24;
    /** {@code struct open_how.flags}. */
    public static final long OPEN_HOW_FLAGS = 0;
    /** {@code struct open_how.mode}. */
    public static final long OPEN_HOW_MODE = 8;
    /** {@code struct open_how.resolve}. */
    public static final long OPEN_HOW_RESOLVE = 16;
    /** {@code STATX_BASIC_STATS}: the fields of {@code stat(2)}. */
    public static final int STATX_BASIC_STATS = 0x7ff;
    /** {@code AT_EMPTY_PATH}: {@code statx} of the descriptor itself. */
    public static final int AT_EMPTY_PATH = 0x1000;

    /** {@code IORING_ASYNC_CANCEL_ALL}: cancel every match, not only the first. */
    public static final int ASYNC_CANCEL_ALL = 1;
    /** {@code IORING_ASYNC_CANCEL_FD}: match on {@code sqe.fd} rather than user_data. */
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    /** {@code IORING_ASYNC_CANCEL_ANY}: match any request. */
    public static final int ASYNC_CANCEL_ANY = 1 << 2;
    /** {@code IORING_FSYNC_DATASYNC}. */
    public static final int FSYNC_DATASYNC = 1;
    /** {@code IORING_TIMEOUT_ABS}. */
    public static final int TIMEOUT_ABS = 1;
    /** {@code IORING_TIMEOUT_ETIME_SUCCESS}. */
    public static final int TIMEOUT_ETIME_SUCCESS = 1 << 5;

    // ---- libc constants (asm-generic, x86-64 and arm64 unless said) ----

    /** {@code AT_FDCWD}. */
    public static final int AT_FDCWD = -100;
    /** {@code AT_SYMLINK_NOFOLLOW}: {@code statx} of a final symbolic link itself. */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code AT_REMOVEDIR}: {@code unlinkat} of a directory. */
    public static final int AT_REMOVEDIR = 0x200;
    // The open(2) flags are dev.aioops.linux.internal.OpenFlags' and ArchOpenFlags', shared with the other adapters.
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 04000;
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 02000000;
    /** The bytes a read or write of an eventfd moves: its u64 counter. */
    public static final int EVENTFD_VALUE_SIZE = 8;
    /** {@code AF_UNIX}: Unix domain sockets. */
    public static final int AF_UNIX = 1;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 02000000;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code SO_SNDBUF} ({@code asm-generic/socket.h}, shared by x86-64, arm64 and powerpc). */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_KEEPALIVE}. */
    public static final int SO_KEEPALIVE = 9;
    /** {@code SO_LINGER}, whose value is a {@code struct linger}. */
    public static final int SO_LINGER = 13;
    /** {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = 15;
    /** {@code TCP_KEEPIDLE} ({@code linux/tcp.h}). */
    public static final int TCP_KEEPIDLE = 4;
    /** {@code TCP_KEEPINTVL}. */
    public static final int TCP_KEEPINTVL = 5;
    /** {@code TCP_KEEPCNT}. */
    public static final int TCP_KEEPCNT = 6;
    /** {@code sizeof(struct linger)}: {@code int l_onoff; int l_linger;}. */
    public static final int LINGER_SIZE = 8;
    /** {@code struct linger.l_onoff}. */
    public static final long LINGER_ONOFF = 0;
    /** {@code struct linger.l_linger}: seconds. */
    public static final long LINGER_SECONDS = 4;
    /** {@code SHUT_RD}: {@code shutdown(2)} of the receiving direction. */
    public static final int SHUT_RD = 0;
    /** {@code SHUT_WR}: {@code shutdown(2)} of the sending direction. */
    public static final int SHUT_WR = 1;
    /** {@code SHUT_RDWR}: {@code shutdown(2)} of both directions. */
    public static final int SHUT_RDWR = 2;
    /** {@code MSG_NOSIGNAL}: no SIGPIPE when the peer has gone. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /**
     * {@code MSG_TRUNC}: given to a datagram receive, it returns the datagram's full length even when the buffer
     * held less (udp(7)); set in {@code msg_flags} when it did.
     */
    public static final int MSG_TRUNC = 0x20;
    /** {@code IORING_RECVSEND_POLL_FIRST} in {@code sqe.ioprio}: arm poll before trying the recv (Linux 5.19). */
    public static final int RECVSEND_POLL_FIRST = 1;
    /** {@code PROT_READ | PROT_WRITE}. */
    public static final int PROT_READ_WRITE = 3;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code MAP_POPULATE}. */
    public static final int MAP_POPULATE = 0x8000;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** {@code sizeof(struct sockaddr_un)}: the family (u16), then {@code sun_path[108]} ({@code sys/un.h}). */
    public static final int SOCKADDR_UN_SIZE = 110;
    /** {@code struct sockaddr_un.sun_path}: the NUL-terminated path. */
    public static final long SOCKADDR_UN_PATH = 2;
    /** {@code sizeof(struct sockaddr_storage)}: room for any address a receive may store. */
    public static final int SOCKADDR_STORAGE_SIZE = 128;
    /** {@code POLLIN}. */
    public static final short POLLIN = 1;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 4;
    /** {@code O_NONBLOCK}, for {@code pipe2(2)}. */
    public static final int O_NONBLOCK = 04000;
    /** {@code O_CLOEXEC}, for {@code pipe2(2)}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code F_SETPIPE_SZ}: {@code fcntl(2)} sets a pipe's capacity, returns the capacity it got. */
    public static final int F_SETPIPE_SZ = 1031;
    /** {@code F_DUPFD_CLOEXEC}: {@code fcntl(2)} duplicates a descriptor, close-on-exec. */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /**
     * {@code SO_SNDTIMEO_NEW} (Linux 5.1, the same number on every architecture, unlike {@code SO_SNDTIMEO}): how
     * long a blocking send waits for room, a {@code struct __kernel_sock_timeval} of two 64-bit fields.
     */
    public static final int SO_SNDTIMEO_NEW = 67;
    /** {@code sizeof(struct __kernel_sock_timeval)}: seconds, then microseconds. */
    public static final int SOCK_TIMEVAL_SIZE = 16;
}
