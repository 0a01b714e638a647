/**
 * Linux system calls through {@code java.lang.foreign} for the adapters' file threads: the file-system operations
 * of the contract that {@code java.nio} cannot express ({@code openat2} confinement, {@code statx}, {@code
 * fallocate}, directory-relative calls). Nothing here is API: the package is exported to the adapters alone.
 * Needs native access: {@code --enable-native-access=dev.aioops.linux}.
 */
@SuppressWarnings("module") // the qualified export names adapter modules that are built after this one
module dev.aioops.linux {
    requires transitive dev.aioops.spi;
    requires jdk.net;

    exports dev.aioops.linux.internal to dev.aioops.epoll, dev.aioops.vertx, dev.aioops.uring;
}
