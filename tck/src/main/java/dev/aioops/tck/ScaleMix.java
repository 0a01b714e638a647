package dev.aioops.tck;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** The mix of {@link ScaleWorkload}: its kinds of task, how often each is picked, and the bytes it writes. */
final class ScaleMix {

    private ScaleMix() {
    }

    /** What a task does. */
    enum Kind {
        TIMEOUT, CANCEL_LIVE, CANCEL_RECENT, CANCEL_FINISHED, CANCEL_BOGUS, CANCEL_FOREIGN, FILE_READ, FILE_WRITE,
        ECHO, EVENTFD, FILE_CHURN, SOCKET_CHURN, EVENTFD_CHURN
    }

    static Kind pick(SplittableRandom random) {
        int r = random.nextInt(100);
        if (r < 22) {
            return Kind.TIMEOUT;
        } else if (r < 28) {
            return Kind.CANCEL_LIVE;
        } else if (r < 31) {
            return Kind.CANCEL_RECENT;
        } else if (r < 33) {
            return Kind.CANCEL_FINISHED;
        } else if (r < 35) {
            return Kind.CANCEL_BOGUS;
        } else if (r < 36) {
            return Kind.CANCEL_FOREIGN;
        } else if (r < 54) {
            return Kind.FILE_READ;
        } else if (r < 64) {
            return Kind.FILE_WRITE;
        } else if (r < 80) {
            return Kind.ECHO;
        } else if (r < 91) {
            return Kind.EVENTFD;
        } else if (r < 96) {
            return Kind.FILE_CHURN;
        } else if (r < 98) {
            return Kind.SOCKET_CHURN;
        }
        return Kind.EVENTFD_CHURN;
    }

    /** Fills a segment with bytes from a seed. */
    static void fill(MemorySegment segment, int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < segment.byteSize(); i += 8) {
            long v = r.nextLong();
            for (long b = i; b < Math.min(i + 8, segment.byteSize()); b++) {
                segment.set(ValueLayout.JAVA_BYTE, b, (byte) v);
                v >>>= 8;
            }
        }
    }

    /** The fixed resources a run works on, set up by the contract. */
    record Setup(Path staticPath, int staticFile, byte[] staticContent, int scratchFile, int listener,
                 InetSocketAddress listenAddress, List<int[]> pairs, List<Integer> eventfds, long[] foreignTokens) {
    }

    /** A submission's id and token. */
    record Issued(int id, long token) {
    }

    /** A region of the scratch file with its buffers. */
    record Slot(int index, MemorySegment write, MemorySegment read) {
    }

    /** A connected pair with its buffers. */
    record Pair(int client, int server, MemorySegment out, MemorySegment mid, MemorySegment in) {
    }

    /** An eventfd with its counter buffer. */
    record Efd(int handle, MemorySegment counter) {
    }
}
