package dev.aioops.bench.suite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx, the C world's static-file server, as a peer of the HTTP workload: the Debian binary ({@code nginx} on the
 * {@code PATH}, else {@code /usr/sbin/nginx}), started unprivileged in the foreground with a configuration this
 * class writes into a temporary prefix directory (pid file, error log and temp paths all inside it), serving the
 * same directory to the same load generator. Its CPU time is that of its master and worker processes, read from
 * {@code /proc/PID/stat} of each ({@link CpuTime#ofProcessTree}). Started at the first trial, stopped with
 * {@code SIGQUIT} (graceful shutdown) at the end of the workload. Unavailable, with a note, when nginx is not
 * installed ({@code apt-get install nginx-light}).
 *
 * <p>The configuration is the best one measured on the 2-core benchmark machine (bench/README.md): an open-file
 * cache, no access log, unlimited keep-alive requests, {@code tcp_nodelay}, {@code multi_accept}; and either
 * {@code sendfile} with {@code tcp_nopush} (header and file in full segments) or, for a small file, a read into
 * nginx's buffer and one {@code writev}, which costs less CPU per 4 KiB response than sendfile's corked calls.
 */
final class NginxContender implements Contender {

    private static final long WAIT_SECONDS = 30;
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"));

    private final Path root;
    private final String file;
    private final int connections;
    private final java.time.Duration duration;
    private final HttpLoadGenerator load;
    private final int workers;
    private final boolean sendfile;
    private Path prefix;
    private Process nginx;
    private int port;

    /**
     * @param workers  nginx's {@code worker_processes}; the load generator shares the machine's cores with them
     * @param sendfile {@code sendfile on} with {@code tcp_nopush}, else a read and a {@code writev}
     */
    NginxContender(Path root, String file, int connections, java.time.Duration duration, HttpLoadGenerator load,
                   int workers, boolean sendfile) {
        this.root = root;
        this.file = file;
        this.connections = connections;
        this.duration = duration;
        this.load = load;
        this.workers = workers;
        this.sendfile = sendfile;
    }

    /** The nginx binary: the first {@code nginx} on the PATH, else a usual install location, else null. */
    static Path binary() {
        String path = System.getenv("PATH");
        Stream<Path> onPath = path == null ? Stream.empty()
                : Stream.of(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "nginx"));
        return Stream.concat(onPath, CANDIDATES.stream()).filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Override
    public String name() {
        return "nginx " + workers + (workers == 1 ? " worker" : " workers");
    }

    @Override
    public String unavailable() {
        if (binary() == null) {
            return "nginx is not installed (apt-get install nginx-light)";
        }
        return load.unavailable();
    }

    @Override
    public Trial run() throws Exception {
        if (nginx == null) {
            start();
        }
        if (!nginx.isAlive()) {
            throw new IllegalStateException("nginx exited: " + errorLog());
        }
        ProcessHandle master = nginx.toHandle();
        return load.run(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), file, connections, duration,
                () -> CpuTime.ofProcessTree(master));
    }

    /** The master process once started (for tests: its workers are its children), else null. */
    ProcessHandle master() {
        return nginx == null ? null : nginx.toHandle();
    }

    private void start() throws Exception {
        Path binary = binary();
        prefix = Files.createTempDirectory("aioops-nginx-");
        // nginx cannot listen on port 0: take a free port and hand it over, retrying if another process takes it.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            Path conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, config());
            nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", conf.toString(),
                    "-e", prefix.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            if (awaitListening()) {
                return;
            }
            nginx.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            if (attempt == 3) {
                throw new IllegalStateException("nginx did not start: " + errorLog());
            }
        }
    }

    /** The measured best configuration; see the class comment. */
    private String config() {
        String user = System.getProperty("user.name");
        return String.format(Locale.ROOT, """
                # Written by the aioops benchmark suite for one workload; deleted when it ends.
                daemon off;
                master_process on;
                worker_processes %d;
                pid %s;
                error_log %s warn;
                %s
                events {
                    worker_connections 4096;
                    multi_accept on;
                    accept_mutex off;
                    use epoll;
                }
                http {
                    access_log off;
                    %s
                    tcp_nodelay on;
                    open_file_cache max=1000 inactive=60s;
                    open_file_cache_valid 60s;
                    keepalive_requests 100000000;
                    keepalive_timeout 300s;
                    client_body_temp_path %s;
                    proxy_temp_path %s;
                    fastcgi_temp_path %s;
                    uwsgi_temp_path %s;
                    scgi_temp_path %s;
                    types { text/plain txt; }
                    default_type application/octet-stream;
                    server {
                        listen 127.0.0.1:%d;
                        root %s;
                        location / { }
                    }
                }
                """, workers, prefix.resolve("nginx.pid"), prefix.resolve("error.log"),
                // Only a master started as root switches its workers to a user: keep it ours, so that they can read
                // the files; otherwise nginx ignores the directive (with a warning in the log).
                "root".equals(user) ? "user root;" : "", sendfile ? "sendfile on; tcp_nopush on;" : "sendfile off;",
                prefix.resolve("client_body"), prefix.resolve("proxy"),
                prefix.resolve("fastcgi"), prefix.resolve("uwsgi"), prefix.resolve("scgi"), port,
                root.toAbsolutePath());
    }

    private boolean awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                return false;
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                // Workers start after the master binds; the first requests wait for them in the backlog.
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String errorLog() {
        try {
            Path log = prefix.resolve("error.log");
            return Files.exists(log) ? Files.readString(log).strip() : "(no error log)";
        } catch (IOException e) {
            return "(error log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (nginx != null) {
            // SIGQUIT is nginx's graceful shutdown; Process.destroy would send SIGTERM, its fast one.
            new ProcessBuilder("kill", "-QUIT", Long.toString(nginx.pid())).start().waitFor();
            if (!nginx.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
                throw new IllegalStateException("nginx did not stop on SIGQUIT within " + WAIT_SECONDS + " s");
            }
        }
        if (prefix != null) {
            try (Stream<Path> files = Files.walk(prefix)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
