package dev.aioops.uring.internal;

/**
 * The {@code user_data} space of this adapter's SQEs, in one place. An operation's user_data is its token
 * {@code generation << 32 | slot} ({@link OpSlots#token}), always above {@link #LAST_RESERVED} because generations
 * start at 1; every value up to it names a request of the loop itself, whose completion is routed by value.
 */
final class UserData {

    /** The loop's always-pending read of its wake-up eventfd ({@link LoopWakeup}). */
    static final long WAKE = 1;
    /** A request whose completion is ignored: the cancel of one op, of the wait timer, or of the wake-up read. */
    static final long IGNORE = 2;
    /** The instance close's cancel of everything ({@code ASYNC_CANCEL_ANY|ALL}). */
    static final long CANCEL_ALL = 3;
    /** The timer op that bounds a wait on kernels without {@code IORING_FEAT_EXT_ARG} (before 5.11). */
    static final long TIMER = 4;
    /** The timer of the loop's deadlines ({@link RingDeadlines}): when it fires, the ops past their due time end. */
    static final long DEADLINE = 5;
    /**
     * The CQE another member of the loop's group posts to its ring with {@code IORING_OP_MSG_RING} to wake it
     * ({@link RingMessenger}): it completes nothing; the woken loop drains its inbox.
     */
    static final long MSG_WAKE = 6;
    /**
     * The sender's own completion of a {@code MSG_RING} is {@code MSG_SENT + target member index}; it comes only
     * when the message failed ({@code IOSQE_CQE_SKIP_SUCCESS}).
     */
    static final long MSG_SENT = 0x4000_0000L;
    /** Members of a group: at most as many as {@link dev.aioops.spi.internal.MemberGroup#checkSize} allows. */
    private static final long MAX_MEMBERS = 4096;
    /**
     * A handle close's cancel by descriptor ({@code ASYNC_CANCEL_FD|ALL}) is {@code CANCEL_FD + handle}: by handle,
     * which fits (handles are below 2<sup>31</sup>), so that its completion names the handle, not a number the
     * kernel may have given to a newer one.
     */
    static final long CANCEL_FD = 0x8000_0000L;
    /** The largest reserved value: above it, user_data is an operation's token. */
    static final long LAST_RESERVED = 0xffff_ffffL;

    private UserData() {
    }

    /** Whether {@code ud} is an operation's token rather than a request of the loop. */
    static boolean isOperation(long ud) {
        return ud > LAST_RESERVED;
    }

    /** Whether {@code ud} is a handle close's cancel by descriptor. */
    static boolean isCancelFd(long ud) {
        return ud >= CANCEL_FD && ud <= LAST_RESERVED;
    }

    /** Whether {@code ud} is the sender's completion of a failed {@code MSG_RING}. */
    static boolean isMessageSent(long ud) {
        return ud >= MSG_SENT && ud < MSG_SENT + MAX_MEMBERS;
    }

    /** The user_data of a {@code MSG_RING} to the group member {@code index}. */
    static long messageTo(int index) {
        return MSG_SENT + index;
    }

    /** The target member of a {@code MSG_RING}'s completion. */
    static int targetOfMessage(long ud) {
        return (int) (ud - MSG_SENT);
    }

    /** The user_data of the cancel by descriptor of the handle {@code handle}. */
    static long cancelFd(int handle) {
        return CANCEL_FD + handle;
    }

    /** The handle of a cancel by descriptor. */
    static int handleOfCancel(long ud) {
        return (int) (ud - CANCEL_FD);
    }
}
