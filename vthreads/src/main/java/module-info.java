/**
 * Blocking-style aioops calls for virtual threads: {@link dev.aioops.vthreads.AioBlocking} parks the calling
 * virtual thread until the operation completes, on any adapter, without blocking or pinning its carrier.
 */
module dev.aioops.vthreads {
    requires transitive dev.aioops.spi;

    exports dev.aioops.vthreads;
}
