package dev.aioops.examples.http;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TargetResolverTest {

    @TempDir
    Path dir;
    private Path root;
    private TargetResolver resolver;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectory(dir.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.createDirectories(root.resolve("sub dir/docs"));
        Files.writeString(root.resolve("sub dir/docs/index.html"), "<p>index</p>");
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), dir);
        Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("hello.txt"));
        resolver = new TargetResolver(root);
    }

    @Test
    void finds_files_and_directory_indexes() throws Exception {
        TargetResolver.Resolution hello = resolver.resolve("/hello.txt?cache=no");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.file()).isEqualTo(root.toRealPath().resolve("hello.txt"));
        assertThat(hello.size()).isEqualTo(5);
        assertThat(resolver.resolve("/sub%20dir/docs/").file().getFileName()).hasToString("index.html");
        assertThat(resolver.resolve("/sub%20dir/./docs").status()).isEqualTo(200);
        assertThat(resolver.resolve("//hello.txt").status()).isEqualTo(200);
        assertThat(resolver.resolve("/inside.txt").status()).as("a link that stays inside").isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../secret.txt", "/sub%20dir/../../secret.txt", "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/sub%20dir/%2e%2e%2f%2e%2e%2fsecret.txt", "/..",
        "http://localhost/hello.txt", "*", "secret.txt", "/a%00b", "/a%5c..%5csecret.txt", "/%zz", "/%e9",
        "/%"})
    void refuses_every_way_out_of_the_root_with_400(String target) {
        assertThat(resolver.resolve(target).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/escape.txt", "/outside/secret.txt", "/missing.txt", "/sub%20dir", "/etc/passwd",
        "/hello.txt/x"})
    void answers_404_for_links_out_of_the_root_and_for_what_is_missing(String target) {
        assertThat(resolver.resolve(target).status()).isEqualTo(404);
    }
}
