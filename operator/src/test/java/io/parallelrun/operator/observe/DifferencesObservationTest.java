package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ComparatorSpec;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.operator.support.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observer asks why comparisons differed with exactly one more query per interval, and only when some endpoint
 * had unmatched comparisons (or ignores noise); a failing differences query leaves the counts, and so every decision,
 * as they are. A stand-in Prometheus on 127.0.0.1 (it records every query), the real client and observer.
 */
class DifferencesObservationTest {
  final AtomicReference<String> unmatched = new AtomicReference<>("0");
  final AtomicBoolean differencesFail = new AtomicBoolean();
  final List<String> outcomes = new CopyOnWriteArrayList<>();
  RecordingPrometheus prometheus;
  List<String> queries;

  @BeforeEach
  void start() {
    prometheus = new RecordingPrometheus(this::answer);
    queries = prometheus.queries;
  }

  @AfterEach
  void stop() {
    prometheus.close();
  }

  RecordingPrometheus.Reply answer(String query) {
    boolean differences = query.contains(DifferencesQuery.MISMATCH_METRIC) || query.contains(DifferencesQuery.IGNORED_METRIC);
    if (differences && differencesFail.get()) return RecordingPrometheus.Reply.ERROR;
    return RecordingPrometheus.Reply.ok(differences
        ? PrometheusClientTest.vector(field("header:x-served-by", "mismatched", "50"), field("header:x-served-by", "noise", "3"),
            field("header:x-a", "ignored", "1"))
        : PrometheusClientTest.vector(PrometheusClientTest.element("a", "matched", "50"),
            PrometheusClientTest.element("a", "unmatched", unmatched.get())));
  }

  static String field(String field, String reading, String value) {
    return "{\"metric\":{\"endpoint\":\"a\",\"field\":\"" + field + "\",\"reading\":\"" + reading
        + "\"},\"value\":[1700000000.1,\"" + value + "\"]}";
  }

  ParallelRun run(NoiseMode noise) {
    EndpointSpec a = Manifests.endpoint("a", HttpMethod.GET, "/a");
    if (noise != null) {
      ComparatorSpec comparator = new ComparatorSpec();
      comparator.setNoise(noise);
      a.setComparator(comparator);
    }
    return Manifests.run("shop", "orders", Manifests.withAnalysis(Manifests.spec(null, null, a),
        prometheus.url(), "30s"));
  }

  final MetricsObserver observer = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(5)), Optional.empty(),
      new MetricsObserver.Instruments() {
        @Override
        public void queried(String outcome, Duration took) {
          outcomes.add(outcome);
        }

        @Override
        public void analysisDelay(Duration late) {}
      });

  @Test
  void aRunWhoseComparisonsAllMatchCostsOneQueryPerInterval() {
    Instant now = Instant.now();
    ObservedMetrics.Available metrics = (ObservedMetrics.Available) observer.observe(run(null), now).metrics();
    observer.observe(run(NoiseMode.Report), now.plusSeconds(31));
    assertThat(queries).hasSize(2).allSatisfy(q -> assertThat(q).startsWith("sum by (endpoint, result)"));
    assertThat(metrics.fieldsFor("a")).contains(FieldCounts.NONE);
  }

  @Test
  void unmatchedComparisonsCostExactlyOneMoreQueryPerIntervalAndGiveTheirFields() {
    unmatched.set("50");
    Instant now = Instant.now();
    ObservedMetrics.Available metrics = (ObservedMetrics.Available) observer.observe(run(null), now).metrics();
    observer.observe(run(null), now.plusSeconds(10));
    assertThat(queries).hasSize(2);
    assertThat(queries.get(1)).contains(DifferencesQuery.MISMATCH_METRIC).contains(DifferencesQuery.NOISE_METRIC)
        .doesNotContain(DifferencesQuery.IGNORED_METRIC);
    assertThat(metrics.fieldsFor("a")).contains(new FieldCounts(Map.of("header:x-served-by", 50L),
        Map.of("header:x-served-by", 3L), Set.of("header:x-a")));

    observer.observe(run(null), now.plusSeconds(31));
    assertThat(queries).as("the next interval: both again").hasSize(4);
  }

  @Test
  void anEndpointThatIgnoresNoiseAsksItsIgnoredFieldsWhileEverythingMatches() {
    ObservedMetrics.Available metrics = (ObservedMetrics.Available) observer.observe(run(NoiseMode.Ignore), Instant.now())
        .metrics();
    assertThat(queries).hasSize(2);
    assertThat(queries.get(1)).contains(DifferencesQuery.IGNORED_METRIC).doesNotContain(DifferencesQuery.MISMATCH_METRIC);
    assertThat(metrics.fieldsFor("a").orElseThrow().ignored()).containsExactly("header:x-a");
  }

  @Test
  void aFailingDifferencesQueryLeavesTheCountsAndIsCountedAsAnError() {
    unmatched.set("50");
    differencesFail.set(true);
    ObservedMetrics metrics = observer.observe(run(null), Instant.now()).metrics();
    assertThat(metrics).isInstanceOf(ObservedMetrics.Available.class);
    ObservedMetrics.Available available = (ObservedMetrics.Available) metrics;
    assertThat(available.countsFor("a")).isEqualTo(new ComparisonCounts(50, 50, 0, 0));
    assertThat(available.fieldsFor("a")).as("unknown, not empty").isEmpty();
    assertThat(outcomes).containsExactly("success", "error");
  }
}
