package io.parallelrun.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metric contract is unambiguous, and its reserved endpoint value is one no ParallelRun can name. */
class MetricContractTest {
  static final Path CRD = Path.of(System.getProperty("repo.root", ".."), "crds/parallelruns.parallelrun.io-v1.yml");

  @Test
  void theNoRouteEndpointIsANameTheCrdRejects() throws IOException {
    JsonNode name = Serialization.yamlMapper().readTree(Files.readString(CRD))
        .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/endpoints/items/properties/name");
    String pattern = name.path("pattern").asText();
    assertThat(pattern).as("the CRD's pattern of spec.endpoints[].name").isEqualTo(EndpointSpec.NAME_PATTERN);
    assertThat(Pattern.compile(pattern).matcher("get-order").matches()).as("a usual endpoint name").isTrue();
    assertThat(Pattern.compile(pattern).matcher(MetricLabels.NO_ROUTE_ENDPOINT).matches())
        .as("%s against the CRD's pattern of spec.endpoints[].name", MetricLabels.NO_ROUTE_ENDPOINT).isFalse();
  }

  @Test
  void theNoRouteEndpointIsNoComparisonResult() {
    assertThat(ComparisonResult.ofLabel(MetricLabels.NO_ROUTE_ENDPOINT)).isNull();
  }

  @Test
  void everySeriesNameBelongsToOneMetric() {
    Set<String> seen = new HashSet<>();
    for (Metric metric : Metric.values()) {
      assertThat(metric.prometheusName()).startsWith("parallelrun_");
      for (String series : metric.seriesNames()) {
        assertThat(seen.add(series)).as("%s rendered by two metrics", series).isTrue();
        assertThat(Metric.ofSeries(series)).contains(metric);
      }
    }
    assertThat(Metric.ofSeries("parallelrun_upstream_latency_seconds_bucket")).contains(Metric.UPSTREAM_LATENCY);
    assertThat(Metric.ofSeries("parallelrun_comparisons_total_bucket")).as("a counter has no buckets").isEmpty();
    assertThat(Metric.ofSeries("parallelrun_comparisons")).as("Micrometer's name is not a series").isEmpty();
  }

  @Test
  void countersEndInTotalAndMeterNamesAreDistinct() {
    assertThat(Metric.of(Metric.Exporter.PROXY)).contains(Metric.COMPARISONS).doesNotContain(Metric.ROLLBACKS);
    assertThat(Arrays.stream(Metric.values()).map(Metric::meterName).distinct()).hasSize(Metric.values().length);
    for (Metric metric : Metric.values()) {
      assertThat(metric.prometheusName().endsWith("_total")).as(metric.prometheusName())
          .isEqualTo(metric.type() == Metric.Type.counter);
    }
  }

  @Test
  void resultLabelValuesAreTheEnumNames() {
    for (ComparisonResult result : ComparisonResult.values()) {
      assertThat(ComparisonResult.ofLabel(result.name())).isSameAs(result);
    }
    assertThat(ComparisonResult.ofLabel("something-new")).isNull();
    assertThat(ComparisonResult.ofLabel(null)).isNull();
  }
}
