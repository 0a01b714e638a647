package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;

import java.util.concurrent.atomic.LongAdder;

/**
 * Ring-to-ring wake-ups inside a {@link UringGroup}. When a member's loop thread hands work to another member that
 * sleeps (the {@link dev.aioops.spi.internal.WakeupGate} claim says so), the wake-up is an
 * {@code IORING_OP_MSG_RING} queued on the <em>caller's</em> ring, which goes to the kernel with the caller's next
 * {@code io_uring_enter} (every turn ends in one, and close enters too), instead of an {@code eventfd} write of its
 * own. The target's ring gets a CQE tagged {@link UserData#MSG_WAKE}: it completes nothing, and the turn that it
 * ends drains the inbox as after any wake-up. From any other thread the eventfd handshake stays.
 *
 * <p><b>Descriptors.</b> A message names its target by descriptor, so the group holds a duplicate of every member's
 * ring descriptor until every member has closed ({@link #closeDescriptors}): a member's close never lets its number
 * be reused under a message in flight. The duplicate keeps the closed member's ring context alive (idle: it holds no
 * request) until the group's close. A message to a member that has closed cannot harm it: its loop is gone, and the
 * sender's completion ({@code -EOWNERDEAD} once the target's submitter task has exited, {@code -EBADFD} or
 * {@code -EBADF} elsewhere) is ignored. Any other failure owes the target its wake-up, which then goes through the
 * target's eventfd.
 *
 * <p><b>Threads.</b> {@link Member#wakeThroughRing()} on any thread (it acts only on the caller's own loop thread);
 * {@link Member#messageFailed} on a member's loop; the rest while the group opens and closes.
 */
final class RingMessenger {

    /** The member whose loop runs on this thread; set on each member's loop thread as the group opens. */
    private static final ThreadLocal<Member> CURRENT = new ThreadLocal<>();

    private final Member[] members;
    private final boolean throughRing;

    /**
     * @param loops       the members' loops, in index order
     * @param ringFds     the duplicates of their ring descriptors, owned from now on
     * @param throughRing whether wake-ups go through {@code MSG_RING} (else every wake-up is an eventfd write)
     */
    RingMessenger(UringLoop[] loops, int[] ringFds, boolean throughRing) {
        this.throughRing = throughRing;
        this.members = new Member[loops.length];
        for (int i = 0; i < loops.length; i++) {
            members[i] = new Member(loops[i], i, ringFds[i]);
        }
    }

    /** The member {@code index}. */
    Member member(int index) {
        return members[index];
    }

    /** Whether wake-ups between members go through their rings. */
    boolean throughRing() {
        return throughRing;
    }

    /** Group close, after every member closed: the duplicates go, and with the last of them each ring context. */
    void closeDescriptors() {
        for (Member m : members) {
            LibC.close(m.ringFd);
        }
    }

    /** One member: its loop, its index, the group's duplicate of its ring descriptor and its wake-up counts. */
    final class Member {

        private final UringLoop loop;
        private final int index;
        private final int ringFd;
        /** Wake-ups other members' loops sent to this member through their rings. */
        private final LongAdder ringWakeupsSent = new LongAdder();
        /** The result of the last failed message this member sent, 0 if none; for tests. */
        private volatile int lastFailure;

        private Member(UringLoop loop, int index, int ringFd) {
            this.loop = loop;
            this.index = index;
            this.ringFd = ringFd;
        }

        /** On this member's loop thread, once, as the group opens: wake-ups it sends go through its ring. */
        void bindToLoopThread() {
            CURRENT.set(this);
        }

        /**
         * A producer claimed the duty of waking this member: queues the wake-up as a {@code MSG_RING} on the
         * calling thread's ring when that thread is the loop of another member of this group.
         *
         * @return {@code true} if the wake-up was queued; else the caller writes the eventfd
         */
        boolean wakeThroughRing() {
            if (!throughRing) {
                return false;
            }
            Member caller = CURRENT.get();
            // A closing caller's ring may be freed before its next submission; its own close wakes nobody else.
            if (caller == null || caller == this || caller.messenger() != RingMessenger.this
                    || caller.loop.isClosing() || !caller.loop.onLoop()) {
                return false;
            }
            RingDriver driver = caller.loop.driver();
            SqeEncoder.msgRing(driver.sqes(), driver.sqe(), ringFd, UserData.MSG_WAKE, 0, UserData.messageTo(index));
            ringWakeupsSent.increment();
            return true;
        }

        /** Loop of this member: a {@code MSG_RING} it sent to member {@code target} failed with {@code res}. */
        void messageFailed(int target, int res) {
            lastFailure = res;
            if (res == -AioErrno.EBADF || res == -UringErrors.EBADFD || res == -UringErrors.EOWNERDEAD) {
                return; // the target has closed: nobody is left to wake
            }
            members[target].loop.wakeup().wakeAfterLostMessage();
        }

        /** Any thread: wake-ups other members sent to this one through their rings. */
        long ringWakeupsSent() {
            return ringWakeupsSent.sum();
        }

        /** The result of the last failed message this member sent, or 0. */
        int lastFailure() {
            return lastFailure;
        }

        private RingMessenger messenger() {
            return RingMessenger.this;
        }
    }

    /** Errno values {@link AioErrno} does not name. */
    private static final class UringErrors {
        /** {@code EBADFD}: the target ring is disabled or going away. */
        static final int EBADFD = 77;
        /** {@code EOWNERDEAD}: the target ring's submitter task has exited. */
        static final int EOWNERDEAD = 130;

        private UringErrors() {
        }
    }
}
