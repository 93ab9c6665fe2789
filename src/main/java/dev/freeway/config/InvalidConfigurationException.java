package dev.freeway.config;

import java.util.List;

/** Stops start-up: names every configuration key that is wrong and how to fix it. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(List<String> mistakes) {
        super("Freeway cannot start; fix the configuration:\n  - " + String.join("\n  - ", mistakes));
    }
}
