package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The availability probe sets up the ring the default configuration opens (not a token one), closes it, and leaves
 * nothing behind; {@link RingSpec} is what an instance really sets up.
 */
@Timeout(60)
class UringProbeTest {

    @AfterEach
    void clearSimulation() {
        System.clearProperty(UringAvailability.SIMULATE_SETUP_PROPERTY);
    }

    @Test
    void theDefaultRingIs256By4096WithTheInstanceFlags() {
        RingSpec spec = RingSpec.of(AioConfig.defaults());
        assertThat(spec.sqEntries()).isEqualTo(256);
        assertThat(spec.cqEntries()).isEqualTo(4096);
        assertThat(spec.flagSets()).containsExactly(UringLayout.SETUP_SINGLE_ISSUER | UringLayout.SETUP_DEFER_TASKRUN
                | UringLayout.SETUP_COOP_TASKRUN | UringLayout.SETUP_TASKRUN_FLAG | UringLayout.SETUP_SUBMIT_ALL
                | UringLayout.SETUP_R_DISABLED, 0);
        assertThat(RingSpec.of(AioConfig.builder().queueDepth(4096).build()).cqEntries()).isEqualTo(8192);
        assertThat(RingSpec.of(AioConfig.builder().queueDepth(32768).build()).cqEntries()).isEqualTo(65536);
        assertThat(RingSpec.of(AioConfig.builder().sqPoll(true).build()).flagSets())
                .containsExactly(UringLayout.SETUP_SQPOLL | UringLayout.SETUP_SUBMIT_ALL, UringLayout.SETUP_SQPOLL);
    }

    @Test
    void theProbeFailsWhereTheDefaultRingCannotBeSetUp() {
        // A limit that admits rings below 4096 CQ entries: the probe's old 4x8 ring passed it, the real one did not.
        System.setProperty(UringAvailability.SIMULATE_SETUP_PROPERTY, "ENOMEM:4096");
        Throwable cause = UringAvailability.probe(RingSpec.of(AioConfig.defaults()));
        assertThat(cause).isInstanceOf(AioException.class);
        assertThat(((AioException) cause).errno()).isEqualTo(AioErrno.ENOMEM);
        assertThat(cause.getMessage()).contains("io_uring is not available", "256 SQ and 4096 CQ entries",
                "RLIMIT_MEMLOCK", "-Daioops.adapter=epoll");

        System.setProperty(UringAvailability.SIMULATE_SETUP_PROPERTY, "ENOMEM:4097");
        assertThat(UringAvailability.probe(RingSpec.of(AioConfig.defaults()))).isNull();
    }

    @Test
    void theProbeIsCheapAndLeavesNoDescriptorOrRingBehind() throws IOException {
        Throwable first = UringAvailability.probe(RingSpec.of(AioConfig.defaults()));
        assertThat(first).isNull();
        Set<String> before = descriptors();
        int rounds = 200;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertThat(UringAvailability.probe(RingSpec.of(AioConfig.defaults()))).isNull();
        }
        long micros = (System.nanoTime() - start) / 1000 / rounds;
        System.out.println("probe of the default ring: " + micros + " us each over " + rounds);
        assertThat(descriptors()).isEqualTo(before);
    }

    @Test
    void anInstanceSetsUpTheRingItsSpecSays() throws IOException {
        for (AioConfig config : List.of(AioConfig.defaults(), AioConfig.builder().queueDepth(4096).build())) {
            RingSpec spec = RingSpec.of(config);
            Set<String> before = rings();
            try (UringAioOperations ops = UringAioOperations.open(config)) {
                Set<String> opened = rings();
                opened.removeAll(before);
                assertThat(opened).as("io_uring descriptors the instance opened").hasSize(1);
                String info = Files.readString(Path.of("/proc/self/fdinfo", opened.iterator().next()));
                assertThat(mask(info, "SqMask")).as(config.toString()).isEqualTo(spec.sqEntries() - 1);
                assertThat(mask(info, "CqMask")).as(config.toString()).isEqualTo(spec.cqEntries() - 1);
                assertThat(ops.adapterName()).isEqualTo("uring");
            }
        }
    }

    private static int mask(String fdinfo, String key) {
        for (String line : fdinfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                return Integer.decode(line.substring(key.length() + 1).trim());
            }
        }
        throw new AssertionError(key + " not in fdinfo:\n" + fdinfo);
    }

    /** The open descriptors of this process, as "number -> target". */
    private static Set<String> descriptors() throws IOException {
        Set<String> fds = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    fds.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return fds;
    }

    /** The io_uring descriptors of this process. */
    private static Set<String> rings() throws IOException {
        Set<String> rings = new HashSet<>();
        for (String fd : descriptors()) {
            if (fd.endsWith("anon_inode:[io_uring]")) {
                rings.add(fd.substring(0, fd.indexOf(' ')));
            }
        }
        return rings;
    }
}
