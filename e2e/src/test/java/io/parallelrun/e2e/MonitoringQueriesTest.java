package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.parallelrun.testing.Helm;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every PromQL expression the chart ships (alerts and dashboard) is evaluated by a real Prometheus. */
@RealParts
class MonitoringQueriesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** What Grafana substitutes before it sends a dashboard query. */
  static final Map<String, String> GRAFANA_VARIABLES = Map.of(
      "$__rate_interval", "1m", "$window", "10m", "$namespace", ".*", "$parallelrun", ".*");
  static PrometheusProcess prometheus;

  @BeforeAll
  static void startPrometheus() {
    prometheus = PrometheusProcess.start(List.of(), Duration.ofSeconds(1));
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
  }

  static Stream<String> alertExpressions() throws Exception {
    String rendered = new Helm().template("monitoring", "monitoring.prometheusRule=true");
    List<String> exprs = new ArrayList<>();
    for (HasMetadata object : HelmChartTest.parse(rendered)) {
      if (object instanceof GenericKubernetesResource rule && rule.getKind().equals("PrometheusRule")) {
        JsonNode groups = JSON.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
        groups.forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
      }
    }
    return exprs.stream();
  }

  static Stream<String> dashboardExpressions() throws Exception {
    JsonNode dashboard = JSON.readTree(Helm.CHART.resolve("dashboards/parallel-run.json").toFile());
    List<String> exprs = new ArrayList<>();
    dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
    return exprs.stream();
  }

  /** Metric names (parallelrun_*) that the chart's alerts and dashboard read, histogram suffixes folded. */
  static java.util.SortedSet<String> metricNamesUsedByTheChart() throws Exception {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("parallelrun_[a-z_]+")
        .matcher(String.join("\n", Stream.concat(alertExpressions(), dashboardExpressions()).toList()));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  @Test
  void theChartShipsAlertsAndDashboardQueries() throws Exception {
    assertThat(alertExpressions().toList()).hasSize(3);
    assertThat(dashboardExpressions().count()).isGreaterThanOrEqualTo(8);
  }

  @ParameterizedTest
  @MethodSource("alertExpressions")
  void alertExpressionEvaluates(String expr) throws Exception {
    assertEvaluates(expr);
  }

  @ParameterizedTest
  @MethodSource("dashboardExpressions")
  void dashboardExpressionEvaluates(String expr) throws Exception {
    String query = expr;
    for (var variable : GRAFANA_VARIABLES.entrySet()) {
      query = query.replace(variable.getKey(), variable.getValue());
    }
    assertThat(query).as("every Grafana variable is substituted").doesNotContain("$");
    assertEvaluates(query);
  }

  private static void assertEvaluates(String expr) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url()
        + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("Prometheus answer to %s: %s", expr, response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("success");
  }
}
