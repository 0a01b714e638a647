package dev.aioops.crossadapter.faults;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child's side of {@link FaultInjectionTest}'s "out of descriptors before the first connection": it listens,
 * then holds every free descriptor, so the very first connections cannot be accepted. After {@link #HOLD} it lets
 * the descriptors go and must then accept all of them. Loop-confined except {@link #finished}.
 */
final class ExhaustedAcceptor {

    private static final long HOLD = TimeUnit.MILLISECONDS.toNanos(1_500);

    private final AioOperations ops;
    private final int total;
    private final List<FileChannel> hoard = new ArrayList<>();
    final CountDownLatch finished = new CountDownLatch(1);
    private int listen;
    private boolean armed;
    volatile int accepted;
    volatile int emfiles;

    ExhaustedAcceptor(AioOperations ops, int total) {
        this.ops = ops;
        this.total = total;
    }

    void start() {
        ops.listen(new InetSocketAddress("127.0.0.1", 0), 128, null, (handle, a) -> {
            if (handle < 0) {
                finish("LISTEN_FAILED " + AioErrno.name(handle));
                return;
            }
            listen = handle;
            int port;
            try {
                port = ((InetSocketAddress) ops.localAddress(handle)).getPort();
            } catch (IOException e) {
                finish("LISTEN_FAILED " + e);
                return;
            }
            System.out.println("HOARDED " + hoardDescriptors());
            System.out.println("PORT " + port);
            System.out.flush();
            arm();
            ops.timeout(HOLD, null, (r, b) -> release());
        });
    }

    /** Opens /dev/null until the process is out of descriptors; returns how many it holds. */
    private int hoardDescriptors() {
        Path devNull = Path.of("/dev/null");
        try {
            while (true) {
                hoard.add(FileChannel.open(devNull));
            }
        } catch (IOException outOfDescriptors) {
            return hoard.size();
        }
    }

    private void release() {
        for (FileChannel channel : hoard) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // /dev/null: nothing to report
            }
        }
        System.out.println("RELEASED after accepted=" + accepted + " emfile=" + emfiles);
        hoard.clear();
        if (!armed) {
            arm();
        }
    }

    private void arm() {
        armed = true;
        ops.accept(listen, null, (result, a) -> accepted(result));
    }

    private void accepted(int result) {
        armed = false;
        if (result >= 0) {
            accepted++;
            if (accepted == total) {
                finish("DONE accepted=" + accepted + " emfile=" + emfiles);
            } else {
                arm();
            }
        } else if (result == -AioErrno.EMFILE || result == -AioErrno.ENFILE) {
            // Accepting again at once would fail again: wait for the release.
            emfiles++;
            if (hoard.isEmpty()) {
                arm();
            }
        } else {
            finish("ACCEPT_FAILED " + AioErrno.name(result) + " after accepted=" + accepted);
        }
    }

    private void finish(String line) {
        System.out.println(line);
        System.out.flush();
        finished.countDown();
    }
}
