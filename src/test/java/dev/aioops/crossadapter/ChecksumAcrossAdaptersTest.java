package dev.aioops.crossadapter;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ByteChecksummer} on every adapter: the same sums as a plain Java loop over the same bytes. */
@Timeout(60)
class ChecksumAcrossAdaptersTest {

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The reference: a plain Java loop over the file's bytes, read by the JDK. */
    private static ByteSum plainLoop(Path file) throws Exception {
        long sum = 0;
        long length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int b;
            byte[] block = new byte[8192];
            while ((b = in.read(block)) > 0) {
                for (int i = 0; i < b; i++) {
                    sum += block[i] & 0xFF;
                }
                length += b;
            }
        }
        return new ByteSum(length, sum);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void sums_files_of_every_shape_like_a_plain_loop(AioProvider adapter) throws Exception {
        int[] sizes = {0, 1, 4095, 32 * 1024, 32 * 1024 + 1, 1_000_003, 5 << 20};
        try (AioOperations ops = adapter.open(Adapters.config())) {
            ByteChecksummer defaults = new ByteChecksummer(ops);
            ByteChecksummer wide = new ByteChecksummer(ops, 4096, 16);
            ByteChecksummer serial = new ByteChecksummer(ops, 65536, 1);
            for (int size : sizes) {
                Path file = Files.write(dir.resolve("f" + size), random(size, size));
                ByteSum expected = plainLoop(file);
                assertThat(defaults.sumFile(file).get(30, TimeUnit.SECONDS)).as("%d bytes", size).isEqualTo(expected);
                assertThat(wide.sumFile(file).get(30, TimeUnit.SECONDS)).as("%d bytes", size).isEqualTo(expected);
                assertThat(serial.sumFile(file).get(30, TimeUnit.SECONDS)).as("%d bytes", size).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void o_direct_sums_agree_with_cached_ones_or_fail_with_eopnotsupp_where_the_adapter_has_no_direct_io(
            AioProvider adapter) throws Exception {
        int[] sizes = {0, 1, 4095, 4096, 4097, 32 * 1024, 32 * 1024 + 1, 1_000_003, 5 << 20};
        try (AioOperations ops = adapter.open(Adapters.config())) {
            ByteChecksummer defaults = new ByteChecksummer(ops);
            ByteChecksummer pages = new ByteChecksummer(ops, 4096, 16);
            for (int size : sizes) {
                Path file = Files.write(dir.resolve("direct" + size), random(size, size));
                if (!ops.supports(AioCapability.DIRECT_IO)) {
                    assertThatThrownBy(() -> defaults.sumFileDirect(file).get(30, TimeUnit.SECONDS))
                            .cause().isInstanceOf(AioException.class).hasMessageContaining("O_DIRECT")
                            .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.EOPNOTSUPP));
                    continue;
                }
                ByteSum cached = defaults.sumFile(file).get(30, TimeUnit.SECONDS);
                assertThat(cached).isEqualTo(plainLoop(file));
                assertThat(defaults.sumFileDirect(file).get(30, TimeUnit.SECONDS)).as("%d bytes", size)
                        .isEqualTo(cached);
                assertThat(pages.sumFileDirect(file).get(30, TimeUnit.SECONDS)).as("%d bytes", size)
                        .isEqualTo(cached);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void sums_several_files_at_once(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config())) {
            ByteChecksummer checksummer = new ByteChecksummer(ops);
            Path[] files = new Path[8];
            CompletableFuture<?>[] sums = new CompletableFuture<?>[files.length];
            for (int i = 0; i < files.length; i++) {
                files[i] = Files.write(dir.resolve("many" + i), random(300_000 + i * 1000, i));
                sums[i] = checksummer.sumFile(files[i]);
            }
            for (int i = 0; i < files.length; i++) {
                assertThat(sums[i].get(30, TimeUnit.SECONDS)).isEqualTo(plainLoop(files[i]));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_missing_file_and_a_directory_fail_with_their_errno(AioProvider adapter) {
        try (AioOperations ops = adapter.open(Adapters.config())) {
            ByteChecksummer checksummer = new ByteChecksummer(ops);
            assertThatThrownBy(() -> checksummer.sumFile(dir.resolve("missing")).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ENOENT));
            assertThatThrownBy(() -> checksummer.sumFile(dir).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isIn(AioErrno.EISDIR, AioErrno.EINVAL));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void sums_what_a_server_sends_until_it_closes(AioProvider adapter) throws Exception {
        byte[] payload = random(3_000_001, 7);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             AioOperations ops = adapter.open(Adapters.config())) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    for (int at = 0; at < payload.length; at += 10_000) {
                        out.write(payload, at, Math.min(10_000, payload.length - at));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());

            ByteSum sum = new ByteChecksummer(ops).sumConnection(address).get(30, TimeUnit.SECONDS);

            assertThat(sum).isEqualTo(ByteSum.of(payload));
            sender.join();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void sums_a_stream_accepted_by_the_adapter(AioProvider adapter) throws Exception {
        byte[] payload = random(777_777, 9);
        try (AioOperations ops = adapter.open(Adapters.config())) {
            CompletableFuture<Integer> listening = new CompletableFuture<>();
            ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, null,
                    (handle, a) -> listening.complete(handle));
            int listener = listening.get(30, TimeUnit.SECONDS);
            assertThat(listener).isNotNegative();
            CompletableFuture<Integer> accepted = new CompletableFuture<>();
            ops.accept(listener, null, (handle, a) -> accepted.complete(handle));
            int port = ((InetSocketAddress) ops.localAddress(listener)).getPort();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                int socket = accepted.get(30, TimeUnit.SECONDS);
                assertThat(socket).isNotNegative();
                CompletableFuture<ByteSum> sum = new ByteChecksummer(ops, 1000, 4).sumStream(socket);
                client.getOutputStream().write(payload);
                client.shutdownOutput();
                assertThat(sum.get(30, TimeUnit.SECONDS)).isEqualTo(ByteSum.of(payload));
            }
        }
    }
}
