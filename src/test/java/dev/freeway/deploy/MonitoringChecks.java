package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Docker Compose files and the Grafana dashboard promise, one check a method, each on a parsed tree. */
final class MonitoringChecks {

    /** The metric names a PromQL expression reads, histogram suffixes folded into the histogram's name. */
    private static final Pattern METRIC = Pattern.compile("\\bfreeway_[a-z_]+");

    private MonitoringChecks() {
    }

    static void composeRunsRedisAndFreewayByDefaultAndMonitoringAsAProfile(ArrayNode compose) {
        JsonNode services = compose.get(0).path("services");
        for (String always : List.of("redis", "freeway")) {
            assertTrue(services.has(always), "service " + always);
            assertTrue(services.path(always).path("profiles").isMissingNode(), always + " runs without a profile");
        }
        for (String optional : List.of("prometheus", "grafana")) {
            assertEquals("monitoring", services.path(optional).path("profiles").path(0).asText(),
                    optional + " only with --profile monitoring");
        }
    }

    static void composeFreewayCountsInTheComposeRedis(ArrayNode compose) {
        JsonNode freeway = compose.get(0).at("/services/freeway");
        assertEquals("redis://redis:6379", freeway.at("/environment/QUARKUS_REDIS_HOSTS").asText());
        assertEquals("false", freeway.at("/environment/FREEWAY_QUOTA_EMBEDDED_REDIS").asText());
        assertEquals("service_healthy", freeway.at("/depends_on/redis/condition").asText());
        assertTrue(freeway.at("/healthcheck/test").toString().contains("/q/health/ready"), "readiness includes Redis");
    }

    static void composeKeysComeFromTheEnvironment(ArrayNode compose) {
        JsonNode env = compose.get(0).at("/services/freeway/environment");
        for (String key : List.of("FREEWAY_SECURITY_ADMIN_KEY", "GROQ_API_KEY")) {
            assertTrue(env.path(key).asText().matches("\\$\\{[A-Z_]+:\\?.+}"), key + " must be ${VAR:?why}: " + env.path(key));
        }
        assertEquals("FREEWAY_ADMIN_KEY", compose.get(0).at("/secrets/admin_key/environment").asText(),
                "Prometheus's key file is the same admin key");
    }

    static void prometheusScrapesFreewayMetricsWithTheAdminKey(ArrayNode prometheus, ArrayNode compose) {
        JsonNode job = prometheus.get(0).at("/scrape_configs/0");
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        assertEquals("freeway:8080", job.at("/static_configs/0/targets/0").asText());
        String file = job.at("/authorization/credentials_file").asText();
        assertEquals("/run/secrets/admin_key", file, "the admin key compose mounts");
        assertEquals("admin_key", compose.get(0).at("/services/prometheus/secrets/0").asText());
    }

    static void grafanaPanelsReadTheProvisionedDatasource(ArrayNode dashboard, ArrayNode datasource) {
        String uid = datasource.get(0).at("/datasources/0/uid").asText();
        assertFalse(uid.isEmpty(), "the provisioned datasource has a uid");
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.get(0).path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
            assertEquals(uid, panel.at("/datasource/uid").asText(), panel.path("title").asText());
            assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has a query");
        }
    }

    /** Every metric a panel reads, e.g. freeway_upstream_latency_seconds for its _bucket series. */
    static Set<String> metricsRead(ArrayNode dashboard) {
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.get(0).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
                }
            }
        }
        return metrics;
    }

    static void grafanaDashboardHasAPanelForEveryMetric(ArrayNode dashboard, Set<String> metrics) {
        Set<String> read = metricsRead(dashboard);
        List<String> missing = new ArrayList<>();
        metrics.stream().filter(m -> !read.contains(m)).forEach(missing::add);
        assertEquals(List.of(), missing, "metrics without a panel");
    }
}
