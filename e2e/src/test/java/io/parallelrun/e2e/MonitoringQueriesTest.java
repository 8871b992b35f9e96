package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
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
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** The rule groups of the chart's PrometheusRule, as rendered with the alerts on. */
  static List<JsonNode> ruleGroups() throws Exception {
    String rendered = new Helm().template("monitoring", "monitoring.prometheusRule=true");
    List<JsonNode> groups = new ArrayList<>();
    for (HasMetadata object : HelmChartTest.parse(rendered)) {
      if (object instanceof GenericKubernetesResource rule && rule.getKind().equals("PrometheusRule")) {
        JSON.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups").forEach(groups::add);
      }
    }
    return groups;
  }

  static Stream<String> alertExpressions() throws Exception {
    List<String> exprs = new ArrayList<>();
    ruleGroups().forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
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
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("parallelrun_[a-z0-9_]+")
        .matcher(String.join("\n", Stream.concat(alertExpressions(), dashboardExpressions()).toList()));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** Metrics of the contract the chart need not show: the proxy's fallbacks and the operator's own timings. */
  static final Set<Metric> NOT_CHARTED = Set.of(Metric.FALLBACKS, Metric.PROMETHEUS_QUERIES, Metric.ANALYSIS_DELAY);

  @Test
  void theChartReadsTheMetricContractAndNothingElse() throws Exception {
    String promql = String.join("\n", Stream.concat(alertExpressions(), dashboardExpressions()).toList());
    Set<Metric> read = new HashSet<>();
    for (String series : metricNamesUsedByTheChart()) {
      Optional<Metric> metric = Metric.ofSeries(series);
      assertThat(metric).as("%s, read by the chart, in the contract (io.parallelrun.api.metrics.Metric)", series)
          .isPresent();
      read.add(metric.get());
    }
    assertThat(read).as("the chart shows every metric of the contract but %s", NOT_CHARTED)
        .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.copyOf(NOT_CHARTED)));

    Matcher selector = Pattern.compile("(parallelrun_[a-z0-9_]+)\\{([^}]*)}").matcher(promql);
    int selectors = 0;
    while (selector.find()) {
      selectors++;
      Metric metric = Metric.ofSeries(selector.group(1)).orElseThrow();
      Matcher matcher = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"").matcher(selector.group(2));
      while (matcher.find()) {
        String label = matcher.group(1);
        String value = matcher.group(3);
        assertThat(metric.labels()).as("label %s of %s in %s", label, metric.prometheusName(), selector.group())
            .contains(label);
        if (label.equals(MetricLabels.RESULT)) {
          assertThat(value.split("\\|")).as("comparison results in %s", selector.group())
              .allSatisfy(r -> assertThat(ComparisonResult.ofLabel(r)).as(r).isNotNull());
        }
        if (label.equals(MetricLabels.ENDPOINT) && matcher.group(2).equals("!=")) {
          assertThat(value).as("the endpoint the chart leaves out, in %s", selector.group())
              .isEqualTo(MetricLabels.NO_ROUTE_ENDPOINT);
        }
      }
    }
    assertThat(selectors).as("selectors with labels in the chart's PromQL").isPositive();
  }

  @Test
  void theChartShipsAlertsAndDashboardQueries() throws Exception {
    assertThat(alertExpressions().toList()).hasSize(4);
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
