package dev.freeway.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.freeway.deploy.Artifacts.documents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker Compose files and the Grafana dashboard, parsed as plain YAML/JSON trees and checked field by field;
 * each check is shown to fail when its field is removed. The dashboard must chart every metric the README's
 * endpoint table lists, and the three the request path adds (tokens, value, refusals).
 */
class MonitoringArtifactsTest {

    /** Counted by the request path (issue 12, item 11); the README lists them once they are. */
    static final Set<String> NEW_METRICS = Set.of("freeway_tokens_total", "freeway_value_usd_total",
            "freeway_refusals_total");
    private static final Pattern README_METRIC = Pattern.compile("`(freeway_[a-z_]+)");

    final ArrayNode compose = documents(Artifacts.COMPOSE);
    final ArrayNode prometheus = documents(Artifacts.PROMETHEUS);
    final ArrayNode dashboard = documents(Artifacts.GRAFANA_DASHBOARD);
    final ArrayNode datasource = documents(Artifacts.GRAFANA_DATASOURCE);

    @Test
    void compose_runs_redis_and_freeway_by_default_and_monitoring_as_a_profile() {
        MonitoringChecks.composeRunsRedisAndFreewayByDefaultAndMonitoringAsAProfile(compose);
    }

    @Test
    void compose_freeway_counts_in_the_compose_redis() {
        MonitoringChecks.composeFreewayCountsInTheComposeRedis(compose);
    }

    @Test
    void compose_keys_come_from_the_environment() {
        MonitoringChecks.composeKeysComeFromTheEnvironment(compose);
    }

    @Test
    void compose_mounts_what_prometheus_and_grafana_read() {
        String volumes = compose.get(0).at("/services").toString();
        for (String file : Set.of("./prometheus.yml", "./grafana/datasource.yaml", "./grafana/dashboards.yaml",
                "../grafana/freeway-dashboard.json", "./freeway.yaml")) {
            assertTrue(volumes.contains("\"" + file + ":"), file + " is mounted");
            assertTrue(Files.exists(Artifacts.root().resolve("deployment/compose").resolve(file).normalize()), file);
        }
        assertEquals("/var/lib/grafana/dashboards",
                documents(Artifacts.GRAFANA_DASHBOARDS).get(0).at("/providers/0/options/path").asText());
    }

    @Test
    void prometheus_scrapes_freeway_metrics_with_the_admin_key() {
        MonitoringChecks.prometheusScrapesFreewayMetricsWithTheAdminKey(prometheus, compose);
    }

    @Test
    void grafana_panels_read_the_provisioned_datasource() {
        MonitoringChecks.grafanaPanelsReadTheProvisionedDatasource(dashboard, datasource);
    }

    @Test
    void grafana_dashboard_has_a_panel_for_every_metric_the_readme_lists_and_the_new_ones() throws IOException {
        Set<String> metrics = readmeMetrics();
        assertTrue(metrics.size() >= 9, "the README's /q/metrics row names the metrics: " + metrics);
        metrics.addAll(NEW_METRICS);
        MonitoringChecks.grafanaDashboardHasAPanelForEveryMetric(dashboard, metrics);
    }

    /** The metric names in the README's endpoint table (its /q/metrics row). */
    static Set<String> readmeMetrics() throws IOException {
        String row = Files.readAllLines(Artifacts.root().resolve("README.md")).stream()
                .filter(l -> l.startsWith("| `GET /q/metrics`")).findFirst().orElseThrow();
        Set<String> metrics = new TreeSet<>();
        Matcher m = README_METRIC.matcher(row);
        while (m.find()) {
            metrics.add(m.group(1));
        }
        // freeway_quota_remaining`/`freeway_quota_limit is written as one pair
        Matcher pair = Pattern.compile("/`(freeway_[a-z_]+)").matcher(row);
        while (pair.find()) {
            metrics.add(pair.group(1));
        }
        return metrics;
    }

    record Breakage(String file, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        @Override
        public String toString() {
            return file + " check fails when " + what;
        }
    }

    static Stream<Breakage> breakages() {
        ArrayNode datasource = documents(Artifacts.GRAFANA_DATASOURCE);
        ArrayNode compose = documents(Artifacts.COMPOSE);
        return Stream.of(
                new Breakage(Artifacts.COMPOSE,
                        MonitoringChecks::composeRunsRedisAndFreewayByDefaultAndMonitoringAsAProfile,
                        Artifacts.remove("/0/services/grafana/profiles"), "Grafana always runs"),
                new Breakage(Artifacts.COMPOSE, MonitoringChecks::composeFreewayCountsInTheComposeRedis,
                        Artifacts.remove("/0/services/freeway/environment/QUARKUS_REDIS_HOSTS"), "Redis is not named"),
                new Breakage(Artifacts.COMPOSE, MonitoringChecks::composeFreewayCountsInTheComposeRedis,
                        Artifacts.remove("/0/services/freeway/depends_on"), "Freeway may start before Redis"),
                new Breakage(Artifacts.COMPOSE, MonitoringChecks::composeKeysComeFromTheEnvironment,
                        Artifacts.replace("/0/services/freeway/environment/GROQ_API_KEY", "gsk_literal"),
                        "a key is written in the file"),
                new Breakage(Artifacts.PROMETHEUS,
                        p -> MonitoringChecks.prometheusScrapesFreewayMetricsWithTheAdminKey(p, compose),
                        Artifacts.remove("/0/scrape_configs/0/authorization"), "the scrape has no admin key"),
                new Breakage(Artifacts.GRAFANA_DASHBOARD,
                        d -> MonitoringChecks.grafanaPanelsReadTheProvisionedDatasource(d, datasource),
                        Artifacts.replace("/0/panels/0/datasource/uid", "other"), "a panel names another datasource"),
                new Breakage(Artifacts.GRAFANA_DASHBOARD,
                        d -> MonitoringChecks.grafanaDashboardHasAPanelForEveryMetric(d, NEW_METRICS),
                        Artifacts.remove("/0/panels/3"), "the refusals panel is removed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void each_check_fails_when_its_field_is_removed(Breakage breakage) {
        ArrayNode original = documents(breakage.file());
        breakage.verify().accept(original);
        ArrayNode broken = Artifacts.changed(original, breakage.change());
        assertThrows(AssertionError.class, () -> breakage.verify().accept(broken), breakage.toString());
    }
}
