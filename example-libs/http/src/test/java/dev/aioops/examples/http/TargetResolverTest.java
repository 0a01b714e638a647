package dev.aioops.examples.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping of request targets to paths beneath the root; the confinement of the open is the kernel's. */
class TargetResolverTest {

    @Test
    void maps_targets_to_paths_beneath_the_root() {
        assertThat(TargetResolver.resolve("/hello.txt?cache=no").path()).isEqualTo("hello.txt");
        assertThat(TargetResolver.resolve("/sub%20dir/docs/").path()).isEqualTo("sub dir/docs");
        assertThat(TargetResolver.resolve("/sub%20dir/./docs").path()).isEqualTo("sub dir/docs");
        assertThat(TargetResolver.resolve("//hello.txt").path()).isEqualTo("hello.txt");
        assertThat(TargetResolver.resolve("/").path()).isEqualTo(".");
        assertThat(TargetResolver.resolve("/./").path()).isEqualTo(".");
        assertThat(TargetResolver.resolve("/caf%C3%A9.txt").path()).isEqualTo("café.txt");
    }

    @Test
    void takes_the_absolute_form_as_its_path_and_tells_a_slashed_target() {
        assertThat(TargetResolver.resolve("http://localhost/hello.txt").path()).isEqualTo("hello.txt");
        assertThat(TargetResolver.resolve("HTTP://localhost:8080").path()).isEqualTo(".");
        assertThat(TargetResolver.resolve("/docs/").slashed()).isTrue();
        assertThat(TargetResolver.resolve("/docs?x=/").slashed()).isFalse();
        assertThat(TargetResolver.resolve("/sub%20dir").targetPath()).isEqualTo("/sub%20dir");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.git/config", "/.env", "/a/.hidden", "/%2eenv"})
    void hides_dotfiles_with_404(String target) {
        assertThat(TargetResolver.resolve(target).status()).isEqualTo(404);
    }

    @Test
    void a_directory_index_is_beside_it() {
        assertThat(TargetResolver.indexOf(".")).isEqualTo("index.html");
        assertThat(TargetResolver.indexOf("sub dir/docs")).isEqualTo("sub dir/docs/index.html");
    }

    @Test
    void a_target_of_only_slashes_is_the_root() {
        assertThat(TargetResolver.resolve("/".repeat(8192)).path()).isEqualTo(".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../secret.txt", "/sub%20dir/../../secret.txt", "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/sub%20dir/%2e%2e%2f%2e%2e%2fsecret.txt", "/..",
        "*", "secret.txt", "localhost:80", "/a%00b", "/a%5c..%5csecret.txt", "/%zz", "/%e9",
        "/%"})
    void refuses_every_way_out_of_the_root_that_a_target_can_spell_with_400(String target) {
        assertThat(TargetResolver.resolve(target).status()).isEqualTo(400);
        assertThat(TargetResolver.resolve(target).path()).isNull();
    }
}
