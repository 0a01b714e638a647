/** Real peers for aioops's tests and benchmarks: a Redis server. Not a library. */
@SuppressWarnings("requires-automatic") // embedded-redis ships no module descriptor
module dev.aioops.fixtures {
    requires embedded.redis;

    exports dev.aioops.fixtures;
}
