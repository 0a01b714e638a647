package dev.aioops.tck;

import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accept streams ({@link dev.aioops.spi.AioReceiveOperations#acceptStream}): every connection handed over once as
 * a working handle, one end per stream (cancel, the listener's close, the instance's close), misuse.
 */
public abstract class AcceptStreamContract extends AioContract {

    /** For subclasses. */
    protected AcceptStreamContract() {
    }

    /** Records the handles and the ends of a stream. */
    protected static final class Acceptor implements AioAcceptHandler<Object> {
        final BlockingQueue<Integer> handles = new LinkedBlockingQueue<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicInteger ends = new AtomicInteger();
        private final AtomicInteger acceptedAfterEnd = new AtomicInteger();
        private volatile int result = Integer.MIN_VALUE;

        Acceptor() {
        }

        @Override
        public void accepted(Object attachment, int handle) {
            if (ends.get() > 0) {
                acceptedAfterEnd.incrementAndGet();
            }
            handles.add(handle);
        }

        @Override
        public void end(int r, Object attachment) {
            result = r;
            ends.incrementAndGet();
            ended.countDown();
        }

        int awaitEnd() throws InterruptedException {
            assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the stream ended").isTrue();
            assertThat(ends.get()).as("ends").isEqualTo(1);
            assertThat(acceptedAfterEnd.get()).as("connections after the end").isZero();
            return result;
        }

        int next() throws InterruptedException {
            Integer h = handles.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(h).as("a connection").isNotNull();
            return h;
        }
    }

    @Test
    @Timeout(120)
    void everyConnectionIsHandedOverOnceAsAWorkingHandle() throws Exception {
        int l = listen();
        Acceptor a = new Acceptor();
        long token = ops.acceptStream(l, null, a);
        assertThat(token).isNotZero();
        int n = 300;
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(new Socket(LOOPBACK, addressOf(l).getPort()));
            }
            List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                handles.add(a.next());
            }
            assertThat(handles).doesNotHaveDuplicates();
            // Each handle is a connection: one byte written on it arrives at exactly one client.
            for (int h : handles) {
                assertThat(call(c -> ops.write(h, bytes("x"), -1, null, c))).isEqualTo(1);
            }
            for (Socket client : clients) {
                InputStream in = client.getInputStream();
                assertThat(in.read()).isEqualTo('x');
            }
            for (int h : handles) {
                assertThat(call(c -> ops.close(h, null, c))).isZero();
            }
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
        ops.cancel(token);
        assertThat(a.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(a.handles).isEmpty();
    }

    @Test
    @Timeout(60)
    void cancelEndsTheStreamOnceAndTheListenerStillAccepts() throws Exception {
        int l = listen();
        Acceptor a = new Acceptor();
        long token = ops.acceptStream(l, null, a);
        ops.cancel(token);
        assertThat(a.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
        ops.cancel(token);
        try (Socket client = new Socket(LOOPBACK, addressOf(l).getPort())) {
            int h = call(c -> ops.accept(l, null, c));
            assertThat(h).as(AioCompletionRecorder.describe(h)).isGreaterThanOrEqualTo(0);
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void listenerCloseEndsTheStreamWithEcanceled() throws Exception {
        int l = listen();
        Acceptor a = new Acceptor();
        ops.acceptStream(l, null, a);
        try (Socket client = new Socket(LOOPBACK, addressOf(l).getPort())) {
            int h = a.next();
            assertThat(client.isConnected()).isTrue();
            assertThat(call(c -> ops.close(l, null, c))).isZero();
            assertThat(a.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
            // The accepted connection outlives its listener.
            assertThat(call(c -> ops.write(h, bytes("y"), -1, null, c))).isEqualTo(1);
        }
    }

    @Test
    @Timeout(60)
    void instanceCloseEndsTheStreamWithEcanceled() throws Exception {
        int l = listen();
        Acceptor a = new Acceptor();
        ops.acceptStream(l, null, a);
        ops.close();
        assertThat(a.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void misuseThrowsAndWrongHandlesEndTheStreamAtOnce() throws Exception {
        assertThatThrownBy(() -> ops.acceptStream(0, null, null)).isInstanceOf(NullPointerException.class);
        Acceptor bad = new Acceptor();
        ops.acceptStream(0x7fff_0000, null, bad);
        assertThat(bad.awaitEnd()).isEqualTo(-AioErrno.EBADF);
        int[] pair = connectedPair();
        Acceptor notListener = new Acceptor();
        ops.acceptStream(pair[0], null, notListener);
        assertThat(notListener.awaitEnd()).isEqualTo(-AioErrno.EINVAL);
        ops.close();
        assertThatThrownBy(() -> ops.acceptStream(0, null, new Acceptor())).isInstanceOf(IllegalStateException.class);
    }
}
