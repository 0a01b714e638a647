package dev.aioops.bench.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The nginx peer against a real nginx: it serves the file, its CPU clock counts its processes, and it stops. */
@Timeout(60)
class NginxContenderTest {

    @TempDir
    Path root;

    @Test
    void servesTheFileCountsItsProcessesAndStopsCleanly() throws Exception {
        assumeTrue(NginxContender.binary() != null, "nginx is not installed");
        byte[] body = new byte[4096];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        Files.write(root.resolve("4k.txt"), body);
        List<String> responses = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        HttpLoadGenerator oneGet = new HttpLoadGenerator() {
            @Override
            public String label() {
                return "one GET";
            }

            @Override
            public Trial run(InetSocketAddress server, String file, int connections, Duration duration,
                             Supplier<CpuTime> serverCpu) throws Exception {
                CpuTime before = serverCpu.get();
                try (Socket s = new Socket(server.getAddress(), server.getPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("GET /" + file + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    responses.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
                CpuTime cpu = serverCpu.get().minus(before);
                return new Trial(1, 1, cpu.userNanos(), cpu.systemNanos(), 0);
            }
        };
        NginxContender nginx = new NginxContender(root, "4k.txt", 1, Duration.ofMillis(100), oneGet, 2, false);
        assertThat(nginx.unavailable()).isNull();
        Trial t;
        try {
            t = nginx.run();
            nginx.run();
            ProcessHandle master = nginx.master();
            pids.add(master.pid());
            master.children().forEach(p -> pids.add(p.pid()));
        } finally {
            nginx.close();
        }
        assertThat(responses).hasSize(2).allSatisfy(r -> {
            assertThat(r).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 4096");
            assertThat(r).endsWith(new String(body, StandardCharsets.ISO_8859_1));
        });
        assertThat(t.userNanos()).isNotNegative();
        assertThat(t.systemNanos()).isNotNegative();
        // Master and both workers ran, and none of them is left once the contender is closed.
        assertThat(pids).hasSize(3);
        assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void countsTheCpuOfEveryProcessOfTheTree() throws Exception {
        // A shell that waits for a child of its own, which spins: only a clock of the whole tree sees that time.
        Process p = new ProcessBuilder("sh", "-c",
                "sh -c 'i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done' & wait").start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            CpuTime tree;
            do {
                Thread.sleep(20);
                tree = CpuTime.ofProcessTree(p.toHandle());
            } while (tree.userNanos() + tree.systemNanos() < 200_000_000L && System.nanoTime() < deadline);
            assertThat(tree.userNanos() + tree.systemNanos()).isGreaterThanOrEqualTo(200_000_000L)
                    .isGreaterThan(ownTime(p.pid()));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    private static long ownTime(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
