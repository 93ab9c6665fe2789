package dev.freeway.demo;

import java.util.Locale;
import java.util.Set;

/**
 * Whether the demo providers serve, and why: decided once at start-up from the setting and the facts of this run.
 *
 * @param active whether the demo providers are in the pool
 * @param reason one line for the start-up log
 */
public record DemoActivation(boolean active, String reason) {

    /** {@code freeway.demo.enabled}. */
    public enum Setting { AUTO, TRUE, FALSE }

    /**
     * The facts the decision rests on.
     *
     * @param accountsConfigured whether any provider has an account
     * @param devOrTest          whether Quarkus runs in dev or test mode
     * @param lambda             whether the {@code lambda} profile is active or Freeway runs inside AWS Lambda
     * @param nativeImage        whether this is a native executable
     * @param httpHost           {@code quarkus.http.host}
     * @param httpPort           the port Freeway listens on in this mode
     */
    public record Run(boolean accountsConfigured, boolean devOrTest, boolean lambda, boolean nativeImage,
                      String httpHost, int httpPort) {
    }

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    public static DemoActivation decide(Setting setting, Run run) {
        if (run.accountsConfigured()) {
            return off(setting == Setting.TRUE
                    ? "freeway.demo.enabled=true is ignored: provider accounts are configured, and they serve"
                    : "provider accounts are configured");
        }
        if (setting == Setting.FALSE) {
            return off("freeway.demo.enabled=false");
        }
        if (run.httpPort() <= 0) {
            return off("Freeway listens on a random port (0), which the demo providers cannot be pointed at;"
                    + " set quarkus.http.port");
        }
        if (setting == Setting.TRUE) {
            return new DemoActivation(true, "freeway.demo.enabled=true");
        }
        if (run.lambda()) {
            return off("the lambda profile serves real accounts only unless freeway.demo.enabled=true");
        }
        if (run.nativeImage()) {
            return off("a native executable serves real accounts only unless freeway.demo.enabled=true");
        }
        if (run.devOrTest()) {
            return new DemoActivation(true, "dev or test mode");
        }
        if (isLocal(run.httpHost())) {
            return new DemoActivation(true, "Freeway listens on " + run.httpHost() + " only");
        }
        return off("Freeway listens on " + run.httpHost() + ", beyond this machine; set freeway.demo.enabled=true"
                + " to serve demo providers there anyway");
    }

    static boolean isLocal(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        return LOCAL_HOSTS.contains(h) || h.startsWith("127.");
    }

    private static DemoActivation off(String reason) {
        return new DemoActivation(false, reason);
    }
}
