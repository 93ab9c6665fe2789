package dev.freeway;

import dev.freeway.check.ConfigCheck;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.time.Clock;

/**
 * Freeway's entry point. {@code check} loads and prints the configuration and exits, before anything starts (no
 * port, no Redis); anything else runs the gateway.
 */
@QuarkusMain
public final class FreewayMain {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("check")) {
            System.exit(ConfigCheck.run(System.out, System.err, Clock.systemUTC()));
        }
        Quarkus.run(args);
    }
}
