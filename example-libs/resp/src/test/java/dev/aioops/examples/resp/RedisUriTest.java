package dev.aioops.examples.resp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUriTest {

    @Test
    void parses_tcp_uris_with_user_password_database_and_name() throws Exception {
        RedisUri uri = RedisUri.parse("redis://app:p%40ss%3Aw@127.0.0.1:6380/2?name=worker-1");
        assertThat(uri.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6380));
        assertThat(uri.user()).isEqualTo("app");
        assertThat(uri.password()).isEqualTo("p@ss:w");
        assertThat(uri.database()).isEqualTo(2);
        assertThat(uri.clientName()).isEqualTo("worker-1");
        assertThat(uri.toString()).doesNotContain("p@ss").contains("app:***@");
    }

    @Test
    void defaults_to_port_6379_database_0_and_the_default_user() {
        RedisUri uri = RedisUri.parse("redis://127.0.0.1");
        assertThat(((InetSocketAddress) uri.address()).getPort()).isEqualTo(RedisUri.DEFAULT_PORT);
        assertThat(uri.database()).isZero();
        assertThat(uri.user()).isNull();
        assertThat(uri.password()).isNull();
        assertThat(RedisUri.parse("redis://:only-password@127.0.0.1").password()).isEqualTo("only-password");
    }

    @Test
    void parses_unix_socket_uris() {
        RedisUri uri = RedisUri.parse("unix:///run/redis/redis.sock?db=5&name=n");
        assertThat(uri.address()).isEqualTo(UnixDomainSocketAddress.of("/run/redis/redis.sock"));
        assertThat(uri.database()).isEqualTo(5);
        assertThat(uri.clientName()).isEqualTo("n");
    }

    @Test
    void refuses_what_it_cannot_use() {
        assertThatThrownBy(() -> RedisUri.parse("http://127.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis:// or unix://");
        assertThatThrownBy(() -> RedisUri.parse("redis://user@127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a password");
        assertThatThrownBy(() -> RedisUri.parse("redis://127.0.0.1/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database is a number");
        assertThatThrownBy(() -> RedisUri.parse("unix://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisUri.of(InetSocketAddress.createUnresolved("redis", 6379)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolved");
        assertThatThrownBy(() -> new RedisUri(UnixDomainSocketAddress.of("/s"), null, null, 0, "two words"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
