package dev.aioops.vertx;

import io.vertx.core.Vertx;

/** Verticles on Vert.x's default transport: the Vert.x-native mode. */
class NativeHostingTest extends HostingContract {

    @Override
    Vertx createVertx() {
        return Vertx.vertx();
    }

    @Override
    VertxAioMode expectedMode() {
        return VertxAioMode.NATIVE;
    }
}
