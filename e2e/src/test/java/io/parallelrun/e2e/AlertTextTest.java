package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text of the chart's alerts as Prometheus renders it when they fire: the rendered PrometheusRule's groups, series
 * named by the metric contract, and {@code promtool test rules} (Prometheus' own rule evaluation, templates and their
 * {@code query} included) comparing the annotations with the expected ones.
 */
@RealParts
class AlertTextTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUMMARY = "shop/orders endpoint get-order: 50% of responses differ";
  static final String ADVICE = "kubectl parallelrun status (or status.endpoints[].differences) says whether a field is"
      + " noise and which comparator rule would leave it out; the proxy's /mismatches holds redacted samples. Look"
      + " before the endpoint is cut over or rolled back.";

  @TempDir
  Path dir;

  /** 60 comparisons a minute of each result given, and per field the unmatched ones that differed there. */
  static ArrayNode series(Map<ComparisonResult, Integer> perMinute, Map<String, Integer> fieldsPerMinute) {
    ArrayNode series = JSON.createArrayNode();
    perMinute.forEach((result, rate) -> series.addObject()
        .put("series", Metric.COMPARISONS.prometheusName() + labels() + "," + MetricLabels.RESULT + "=\"" + result + "\"}")
        .put("values", "0+" + rate + "x20"));
    fieldsPerMinute.forEach((field, rate) -> series.addObject()
        .put("series", Metric.MISMATCH_FIELDS.prometheusName() + labels() + "," + MetricLabels.FIELD + "=\"" + field + "\"}")
        .put("values", "0+" + rate + "x20"));
    return series;
  }

  static String labels() {
    return "{" + MetricLabels.NAMESPACE + "=\"shop\"," + MetricLabels.PARALLELRUN + "=\"orders\"," + MetricLabels.ENDPOINT
        + "=\"get-order\"";
  }

  /** Runs promtool on the chart's rules with these series; the mismatch alert must fire with this description. */
  void assertMismatchAlertSays(ArrayNode series, String description) throws Exception {
    ObjectNode rules = JSON.createObjectNode();
    rules.putArray("groups").addAll(MonitoringQueriesTest.ruleGroups());
    Files.writeString(dir.resolve("rules.json"), JSON.writeValueAsString(rules));

    ObjectNode test = JSON.createObjectNode();
    test.putArray("rule_files").add("rules.json");
    test.put("evaluation_interval", "1m");
    ObjectNode one = test.putArray("tests").addObject();
    one.put("interval", "1m");
    one.set("input_series", series);
    ObjectNode alert = one.putArray("alert_rule_test").addObject();
    alert.put("eval_time", "15m");
    alert.put("alertname", "ParallelRunMismatchSpike");
    ObjectNode expected = alert.putArray("exp_alerts").addObject();
    expected.putObject("exp_labels").put("severity", "warning").put(MetricLabels.NAMESPACE, "shop")
        .put(MetricLabels.PARALLELRUN, "orders").put(MetricLabels.ENDPOINT, "get-order");
    expected.putObject("exp_annotations").put("summary", SUMMARY).put("description", description);
    Files.writeString(dir.resolve("test.json"), JSON.writeValueAsString(test));

    Process promtool = new ProcessBuilder(promtool(), "test", "rules", "test.json").directory(dir.toFile())
        .redirectErrorStream(true).start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(promtool.exitValue()).as("promtool test rules:\n%s", output).isZero();
  }

  @Test
  void theMismatchAlertNamesTheFieldMostComparisonsDifferedAt() throws Exception {
    assertMismatchAlertSays(
        series(Map.of(ComparisonResult.matched, 60, ComparisonResult.unmatched, 60),
            Map.of("header:x-served-by", 60, "body:$.total", 6)),
        "50% differ at header:x-served-by. " + ADVICE);
  }

  @Test
  void withoutPerFieldCountsTheAlertStillFiresWithItsAdvice() throws Exception {
    assertMismatchAlertSays(series(Map.of(ComparisonResult.matched, 60, ComparisonResult.unmatched, 60), Map.of()),
        ADVICE);
  }

  /** promtool next to the Prometheus the tests run ($PROMETHEUS_BIN or Debian's), else from PATH. */
  static String promtool() {
    Path sibling = Path.of(PrometheusProcess.binary()).resolveSibling("promtool");
    return Files.isExecutable(sibling) ? sibling.toString() : "promtool";
  }
}
