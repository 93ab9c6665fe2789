package dev.freeway.check;

import dev.freeway.config.InvalidConfigurationException;
import dev.freeway.quota.QuotaConfig;
import dev.freeway.quota.RequestLogConfig;
import dev.freeway.status.StatusConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings outside the pool's (which {@code config.PoolBuilder} checks), each in the range the code using it can
 * work with. Out of range, they would not fail at start-up but at every call: a lease of 0 expires as it is taken
 * (concurrency never enforced), a negative one makes reserve.lua refuse every reservation, a Redis timeout of 0 gives
 * up on every call, a typical request of no tokens fails every status reading. So start-up, and
 * {@code java -jar quarkus-run.jar check}, refuse them with the key and the fix.
 */
@ApplicationScoped
public class SettingsCheck {

    /** Runs before the quota engine's warm-up and before any request. */
    void check(@Observes @Priority(1) StartupEvent started, QuotaConfig quota, RequestLogConfig requests,
               StatusConfig status) {
        List<String> mistakes = mistakes(quota, requests, status);
        mistakes.addAll(emptyClientKeys(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
        if (!mistakes.isEmpty()) {
            throw new InvalidConfigurationException(mistakes);
        }
    }

    /**
     * Client keys written but empty, typically {@code ${CLIENT_KEY}} with the variable set to nothing (a secret mounted
     * empty). Configuration reads an empty value as no value, and no client keys means every front door is open:
     * the operator meant to lock them. An admin key written empty needs no check: admin endpoints stay locked.
     */
    public static List<String> emptyClientKeys(org.eclipse.microprofile.config.Config config) {
        String name = "freeway.security.client-keys";
        var written = config.getConfigValue(name);
        boolean blank = written.getValue() == null
                || java.util.Arrays.stream(written.getValue().split(",")).allMatch(String::isBlank);
        if (written.getSourceName() == null || !blank) {
            return List.of();
        }
        return List.of(name + " is set (" + written.getSourceName() + ": " + written.getRawValue() + ") but holds no"
                + " key, which would leave every front door open; give the keys, or remove the setting to run without"
                + " client keys");
    }

    /** What is wrong with the settings, each naming its key; empty when nothing is. */
    public static List<String> mistakes(QuotaConfig quota, RequestLogConfig requests, StatusConfig status) {
        List<String> mistakes = new ArrayList<>();
        if (quota.leaseSeconds() < 1) {
            mistakes.add("freeway.quota.lease-seconds: " + quota.leaseSeconds()
                    + "; a lease must last at least a second (default 300)");
        }
        if (quota.redisTimeout().isNegative() || quota.redisTimeout().isZero()) {
            mistakes.add("freeway.quota.redis-timeout: " + quota.redisTimeout()
                    + " gives up on every Redis call; give a positive duration (default 1s)");
        }
        if (quota.defaultMaxOutputTokens() < 1) {
            mistakes.add("freeway.quota.default-max-output-tokens: " + quota.defaultMaxOutputTokens()
                    + "; reserve at least one output token (default 1024)");
        }
        if (quota.ledgerDays() < 1) {
            mistakes.add("freeway.quota.ledger-days: " + quota.ledgerDays() + "; keep at least a day (default 35)");
        }
        if (requests.keep() < 0 || requests.keepFor().isNegative()) {
            mistakes.add("freeway.requests.keep / keep-for: " + requests.keep() + " / " + requests.keepFor()
                    + "; keep 0 (none) or more, for 0s or more (defaults 500 / 2d)");
        }
        long input = status.typicalRequestInputTokens();
        long output = status.typicalRequestOutputTokens();
        if (input < 0 || output < 0 || input + output <= 0) {
            mistakes.add("freeway.status.typical-request-input-tokens / -output-tokens: " + input + " / " + output
                    + "; a typical request needs tokens, none negative (defaults 1500 / 500)");
        }
        if (status.metricsRefresh().isNegative()) {
            mistakes.add("freeway.status.metrics-refresh: " + status.metricsRefresh() + " is negative");
        }
        return mistakes;
    }
}
