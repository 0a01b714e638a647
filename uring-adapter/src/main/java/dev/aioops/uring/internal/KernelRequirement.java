package dev.aioops.uring.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oldest Linux this adapter works on, and the check of a kernel release against it. Pure functions of the
 * release string ({@code uname -r}, which the JDK reports as {@code os.version}).
 *
 * <p>Linux 5.13 is the floor because, before it, io_uring did not poll a file opened non-blocking: a read of an
 * eventfd ({@code EFD_NONBLOCK}) whose counter is zero completed at once with {@code -EAGAIN} instead of waiting
 * for a write. Everything newer the adapter uses (ext-arg waits 5.11, {@code IORING_OP_SOCKET} and cancel-all 5.19,
 * {@code DEFER_TASKRUN} 6.1) it probes for and does without when the kernel lacks it.
 */
public final class KernelRequirement {

    /** The oldest major version. */
    static final int MIN_MAJOR = 5;
    /** The oldest minor version of {@link #MIN_MAJOR}. */
    static final int MIN_MINOR = 13;

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\D.*)?$");

    private KernelRequirement() {
    }

    /**
     * Major and minor of a release such as {@code 6.8.0-45-generic} or {@code 5.15.167.4-microsoft-standard-WSL2}.
     *
     * @param release the kernel release
     * @return {@code {major, minor}}, or null when it does not start with {@code major.minor}
     */
    static int[] parse(String release) {
        if (release == null) {
            return null;
        }
        Matcher m = RELEASE.matcher(release.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /**
     * Whether this adapter works on a kernel release.
     *
     * @param release the kernel release, as {@code os.version} gives it
     * @return null when it is new enough, else an exception whose message says what is missing and what to do
     */
    public static UnsupportedOperationException check(String release) {
        int[] v = parse(release);
        if (v == null) {
            return new UnsupportedOperationException("io_uring is not available: the kernel release '" + release
                    + "' (os.version) does not say which Linux this is, and this adapter needs Linux " + MIN_MAJOR
                    + "." + MIN_MINOR + " or newer; use another adapter, e.g. -Daioops.adapter=epoll");
        }
        if (v[0] > MIN_MAJOR || v[0] == MIN_MAJOR && v[1] >= MIN_MINOR) {
            return null;
        }
        return new UnsupportedOperationException("io_uring is not available: io_uring on kernel " + release.trim()
                + " lacks polling of non-blocking files (an eventfd read completes with EAGAIN instead of waiting), "
                + "which needs Linux " + MIN_MAJOR + "." + MIN_MINOR + "; this adapter needs Linux " + MIN_MAJOR
                + "." + MIN_MINOR + " or newer; use another adapter, e.g. -Daioops.adapter=epoll");
    }
}
