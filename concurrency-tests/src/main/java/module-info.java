/** jcstress proofs of aioops's lock-free pieces; not a library. */
@SuppressWarnings("requires-automatic") // jcstress-core ships no module descriptor
module dev.aioops.concurrency {
    requires dev.aioops.spi;
    requires jcstress.core;
}
