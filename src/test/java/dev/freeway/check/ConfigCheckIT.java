package dev.freeway.check;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar quarkus-run.jar check} from the packaged jar, as the README gives it. */
class ConfigCheckIT {

    @Test
    void the_packaged_jar_checks_a_configuration_and_exits() throws Exception {
        Run good = check("""
                freeway:
                  providers:
                    groq: { accounts: [{ id: me, api-key: gsk_it_check_key }] }
                """);
        assertEquals(0, good.status, good.output);
        assertTrue(good.output.contains("groq — GroqCloud") && good.output.contains("OK: start-up would accept"),
                good.output);

        Run bad = check("""
                freeway:
                  providers:
                    grok: { accounts: [{ id: me, api-key: k }] }
                """);
        assertEquals(ConfigCheck.INVALID, bad.status, bad.output);
        assertTrue(bad.output.contains("Freeway cannot start; fix the configuration:")
                && bad.output.contains("freeway.providers.grok: unknown provider 'grok'"), bad.output);
    }

    private record Run(int status, String output) {
    }

    private static Run check(String yaml) throws IOException, InterruptedException {
        Path file = Files.createTempFile("freeway-check-it", ".yaml");
        Files.writeString(file, yaml);
        Path jar = Path.of(System.getProperty("freeway.jar", "target/quarkus-app/quarkus-run.jar"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "check"))
                .redirectErrorStream(true);
        builder.environment().put("FREEWAY_CONFIG", file.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "check exits by itself");
        Files.deleteIfExists(file);
        return new Run(process.exitValue(), output);
    }
}
