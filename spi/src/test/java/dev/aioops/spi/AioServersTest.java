package dev.aioops.spi;

import dev.aioops.spi.internal.MemberGroup;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AioServers#listenOnEvery} against fake members whose listens complete at once with a chosen result: the
 * order of the listens for port 0, the options every listener gets, and the clean-up when one member fails.
 */
class AioServersTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int BOUND_PORT = 4242;

    /** What a fake member saw, and what its listen answers. */
    private static final class Member {
        final int answer;
        final List<SocketAddress> listenedOn = new ArrayList<>();
        final List<AioListenOptions> options = new ArrayList<>();
        final List<Integer> closed = new ArrayList<>();

        Member(int answer) {
            this.answer = answer;
        }

        @SuppressWarnings("unchecked")
        AioOperations operations() {
            return (AioOperations) Proxy.newProxyInstance(AioOperations.class.getClassLoader(),
                    new Class<?>[]{AioOperations.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "adapterName" -> "fake";
                        case "listen" -> {
                            listenedOn.add((SocketAddress) args[0]);
                            options.add((AioListenOptions) args[2]);
                            ((AioCompletion<Object>) args[4]).completed(answer, args[3]);
                            yield 1L;
                        }
                        case "localAddress" -> new InetSocketAddress(LOOPBACK, BOUND_PORT);
                        case "close" -> {
                            if (args == null) {
                                yield null;
                            }
                            closed.add((Integer) args[0]);
                            ((AioCompletion<Object>) args[2]).completed(0, args[1]);
                            yield 2L;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "fake member";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static AioGroup group(Member... members) {
        List<AioOperations> ops = new ArrayList<>();
        for (Member m : members) {
            ops.add(m.operations());
        }
        return new MemberGroup(ops);
    }

    @Test
    void portZeroBindsTheFirstMemberThenTheOthersOnItsPortAllWithReusePort() throws Exception {
        Member a = new Member(10);
        Member b = new Member(11);
        Member c = new Member(12);
        AioListenOptions rcvbuf = AioListenOptions.defaults().with(AioSocketOption.SO_RCVBUF, 4096);
        int[] handles = AioServers.listenOnEvery(group(a, b, c), new InetSocketAddress(LOOPBACK, 0), 64, rcvbuf)
                .get();
        assertThat(handles).containsExactly(10, 11, 12);
        assertThat(a.listenedOn).containsExactly(new InetSocketAddress(LOOPBACK, 0));
        assertThat(b.listenedOn).containsExactly(new InetSocketAddress(LOOPBACK, BOUND_PORT));
        assertThat(c.listenedOn).containsExactly(new InetSocketAddress(LOOPBACK, BOUND_PORT));
        for (Member m : List.of(a, b, c)) {
            assertThat(m.options).containsExactly(rcvbuf.with(AioSocketOption.SO_REUSEPORT, 1));
            assertThat(m.closed).isEmpty();
        }
    }

    @Test
    void aMemberThatFailsClosesTheListenersOfTheOthersAndTheFutureCarriesItsErrno() {
        Member a = new Member(10);
        Member b = new Member(11);
        Member c = new Member(-AioErrno.EADDRINUSE);
        CompletableFuture<int[]> listening = AioServers.listenOnEvery(group(a, b, c),
                new InetSocketAddress(LOOPBACK, 8080), 64, AioListenOptions.defaults());
        assertThatThrownBy(listening::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(AioException.class,
                        e -> assertThat(e.errno()).isEqualTo(AioErrno.EADDRINUSE));
        assertThat(a.closed).containsExactly(10);
        assertThat(b.closed).containsExactly(11);
        assertThat(c.closed).isEmpty();
        assertThat(b.listenedOn).as("an explicit port: every member at once")
                .containsExactly(new InetSocketAddress(LOOPBACK, 8080));
    }

    @Test
    void whenTheFirstMemberFailsOnPortZeroTheOthersAreNotAsked() {
        Member a = new Member(-AioErrno.EACCES);
        Member b = new Member(11);
        CompletableFuture<int[]> listening = AioServers.listenOnEvery(group(a, b),
                new InetSocketAddress(LOOPBACK, 0), 64, AioListenOptions.defaults());
        assertThatThrownBy(listening::get).cause().isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).isEqualTo(AioErrno.EACCES));
        assertThat(b.listenedOn).isEmpty();
    }

    @Test
    void misuseThrowsAtOnce() {
        AioGroup group = group(new Member(1));
        InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
        AioListenOptions defaults = AioListenOptions.defaults();
        assertThatThrownBy(() -> AioServers.listenOnEvery(group, any, 64,
                defaults.with(AioSocketOption.SO_REUSEPORT, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioServers.listenOnEvery(group, InetSocketAddress.createUnresolved("x", 1), 64,
                defaults)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioServers.listenOnEvery(group, any, 0, defaults))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioServers.listenOnEvery(null, any, 64, defaults))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AioServers.listenOnEvery(group, any, 64, null))
                .isInstanceOf(NullPointerException.class);
    }
}
