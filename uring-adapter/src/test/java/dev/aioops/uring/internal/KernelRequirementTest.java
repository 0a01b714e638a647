package dev.aioops.uring.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel version gate (Linux 5.13: io_uring polls non-blocking eventfds), a pure function of the release. */
class KernelRequirementTest {

    @ParameterizedTest
    @CsvSource({
        "6.18.44-fc-v1272, 6, 18",
        "5.15.167.4-microsoft-standard-WSL2, 5, 15",
        "5.13, 5, 13",
        "6.1.0-rc1, 6, 1",
        "4.18.0-553.el8_10.x86_64, 4, 18",
        "10.0.1, 10, 0"
    })
    void majorAndMinorAreReadFromTheRelease(String release, int major, int minor) {
        assertThat(KernelRequirement.parse(release)).containsExactly(major, minor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "6", "6.x", "-5.15", "99999999999.1"})
    void aReleaseWithoutMajorDotMinorIsNotParsed(String release) {
        assertThat(KernelRequirement.parse(release)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.13.0", "5.13.19-generic", "5.15.0-1034-azure", "6.0.0", "6.18.44-fc-v1272", "7.0"})
    void kernelsFrom513Pass(String release) {
        assertThat(KernelRequirement.check(release)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.12.19", "5.10.0-28-amd64", "5.6.0", "5.4.0-182-generic", "4.19.0", "3.10.0"})
    void olderKernelsAreRefusedWithTheReasonAndTheMinimum(String release) {
        UnsupportedOperationException why = KernelRequirement.check(release);
        assertThat(why).isNotNull();
        assertThat(why.getMessage()).contains("io_uring is not available", "kernel " + release,
                "non-blocking", "EAGAIN", "needs Linux 5.13 or newer", "-Daioops.adapter=epoll");
    }

    @Test
    void anUnreadableReleaseIsRefusedRatherThanGuessed() {
        assertThat(KernelRequirement.check("mystery")).hasMessageContaining("'mystery'")
                .hasMessageContaining("5.13");
        assertThat(KernelRequirement.check(null)).isNotNull();
    }

    @Test
    void theAvailabilityCheckRefusesAnOldKernelWithoutSettingUpARing() {
        Throwable why = UringAvailability.check("Linux", "amd64", "5.10.0-28-amd64", () -> {
            throw new AssertionError("no ring is set up on a kernel that is too old");
        });
        assertThat(why).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("5.13");
        assertThat(UringAvailability.check("Linux", "amd64", "5.13.0", () -> null)).isNull();
    }

    @Test
    void theRunningKernelPasses() {
        assertThat(KernelRequirement.check(System.getProperty("os.version"))).isNull();
    }
}
