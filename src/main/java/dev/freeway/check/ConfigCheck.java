package dev.freeway.check;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.InvalidConfigurationException;
import dev.freeway.config.Pool;
import dev.freeway.config.PoolBuilder;
import dev.freeway.quota.QuotaConfig;
import dev.freeway.quota.RequestLogConfig;
import dev.freeway.routing.ClientScope;
import dev.freeway.security.Clients;
import dev.freeway.security.SecurityConfig;
import dev.freeway.status.CapacityCalculator;
import dev.freeway.status.StatusConfig;
import io.smallrye.config.SmallRyeConfig;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * {@code java -jar quarkus-run.jar check}: loads the configuration as start-up would, prints the pool, and exits
 * non-zero with start-up's own message on a mistake. Serves nothing and touches no Redis.
 */
public final class ConfigCheck {

    /** Exit status for a configuration start-up would refuse. */
    public static final int INVALID = 1;

    private ConfigCheck() {
    }

    /** @return the process exit status: 0 when start-up would accept the configuration */
    public static int run(PrintStream out, PrintStream err, Clock clock) {
        Pool pool;
        StatusConfig status;
        List<ClientScope> clients;
        try {
            SmallRyeConfig config = ConfigLoader.load();
            status = config.getConfigMapping(StatusConfig.class);
            clients = new Clients(config.getConfigMapping(SecurityConfig.class).clients()).scopes();
            List<String> settingsMistakes = SettingsCheck.mistakes(config.getConfigMapping(QuotaConfig.class),
                    config.getConfigMapping(RequestLogConfig.class), status);
            settingsMistakes.addAll(SettingsCheck.emptyClientKeys(config));
            if (!settingsMistakes.isEmpty()) {
                throw new InvalidConfigurationException(settingsMistakes);
            }
            pool = new PoolBuilder(CatalogReader.builtIn(), PoolBuilder.asWritten(config))
                    .build(config.getConfigMapping(FreewayConfig.class));
        } catch (InvalidConfigurationException e) {
            err.println(e.getMessage());
            return INVALID;
        } catch (RuntimeException e) {
            err.println("Freeway cannot start; fix the configuration:\n  - " + e.getMessage());
            return INVALID;
        }
        out.println("Freeway configuration check (" + source() + ")");
        out.println();
        if (pool.isEmpty()) {
            out.println("No provider has an account: Freeway would serve only its demo providers (on loopback),"
                    + " or nothing. Configure an account (README, Configuration).");
            return 0;
        }
        var capacity = new CapacityCalculator(clock, status.typicalRequestInputTokens(),
                status.typicalRequestOutputTokens()).pool(pool, clients);
        int warnings = new PoolPrinter(out).print(pool, capacity);
        int remarks = 0;
        for (Pool.Remark remark : pool.remarks()) {
            out.println((remark.warning() ? "WARNING: " : "note: ") + remark.text());
            remarks += remark.warning() ? 1 : 0;
        }
        out.println();
        out.println("OK: start-up would accept this configuration" + (warnings + remarks == 0 ? "."
                : " (" + (warnings > 0 ? warnings + " terms warning(s)" : "")
                + (warnings > 0 && remarks > 0 ? ", " : "")
                + (remarks > 0 ? remarks + " configuration warning(s)" : "") + " above)."));
        return 0;
    }

    private static String source() {
        String file = System.getProperty("FREEWAY_CONFIG", System.getenv("FREEWAY_CONFIG"));
        return file == null || file.isBlank() ? "application.properties and environment variables"
                : "FREEWAY_CONFIG=" + file + ", application.properties and environment variables";
    }
}
