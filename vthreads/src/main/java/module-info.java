/**
 * Blocking-style aioops calls for virtual threads: {@link dev.aioops.vthreads.AioBlocking} parks the calling
 * virtual thread until the operation completes, on any adapter, without blocking or pinning its carrier. On an
 * adapter with descriptors it first tries socket transfers with {@code send}/{@code recv} on the calling thread,
 * through {@code java.lang.foreign}: run with {@code --enable-native-access=dev.aioops.vthreads} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path) to avoid the JDK's warning; where native access is denied,
 * every transfer goes to the loop.
 */
module dev.aioops.vthreads {
    requires transitive dev.aioops.spi;

    exports dev.aioops.vthreads;
}
