package io.parallelrun.operator.decide;

import static io.parallelrun.api.EndpointState.Promoting;
import static io.parallelrun.api.EndpointState.Ready;
import static io.parallelrun.api.EndpointState.RolledBack;
import static io.parallelrun.api.EndpointState.Shadowing;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.ComparatorSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.FieldCounts;
import io.parallelrun.operator.observe.ObservedMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * status.endpoints[].differences, ignoredNoise and the message that names the top field, built by the decider from
 * the observed field counts: top 3, percent of the window's comparisons, noise, the suggested rule.
 */
class DifferencesStatusTest extends DecisionFixtures {
  final CutoverDecider decider = new CutoverDecider();

  record Case(String name, ParallelRunSpec spec, EndpointStatus previous, ObservedMetrics observed, int weight,
      EndpointState state, List<FieldDifference> differences, List<String> ignoredNoise, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String SERVED_BY = "header:x-served-by";
  static final String TOTAL = "body:$.total";
  static final FieldDifference SERVED_BY_NOISE = new FieldDifference(SERVED_BY, 100.0, true, "ignoreHeaders: [x-served-by]");

  /** Comparisons, and the fields the unmatched ones differed at. */
  static ObservedMetrics observed(long matched, long unmatched, FieldCounts fields) {
    return new ObservedMetrics.Available(Map.of(EP, new ComparisonCounts(matched, unmatched, 0, 0))).withFields(Map.of(EP, fields));
  }

  static ObservedMetrics failedFields(long matched, long unmatched) {
    return new ObservedMetrics.Available(Map.of(EP, new ComparisonCounts(matched, unmatched, 0, 0))).withFieldsFailed();
  }

  static FieldCounts mismatched(Map<String, Long> mismatched, Map<String, Long> noise) {
    return new FieldCounts(mismatched, noise, Set.of());
  }

  static EndpointStatus withDifferences(EndpointStatus status, List<FieldDifference> differences) {
    status.setDifferences(differences);
    status.setIgnoredNoise(List.of("header:x-request-stamp"));
    return status;
  }

  static Stream<Case> cases() {
    ParallelRunSpec ignoring = spec(e -> {
      ComparatorSpec comparator = new ComparatorSpec();
      comparator.setNoise(NoiseMode.Ignore);
      e.setComparator(comparator);
    });
    FieldCounts servedByNoise = mismatched(Map.of(SERVED_BY, 1000L), Map.of(SERVED_BY, 5L));
    FieldDifference total10 = new FieldDifference(TOTAL, 10.0, false, null);
    return Stream.of(
        new Case("every comparison matched: no differences, the message as before", spec(), null,
            observed(1000, 0, FieldCounts.NONE), 0, Ready, null, null, "threshold met; holding until"),
        new Case("a header that is noise holds it: the message names it, noise and the rule", spec(), null,
            observed(0, 1000, servedByNoise), 0, Shadowing, List.of(SERVED_BY_NOISE), null,
            "match rate 0% below the threshold 99%: 100% differ at header:x-served-by"
                + " (noise: legacy differs from itself; suggest ignoreHeaders: [x-served-by])"),
        new Case("a real body difference: not noise, no rule suggested", spec(), null,
            observed(900, 100, mismatched(Map.of(TOTAL, 100L), Map.of())), 0, Shadowing, List.of(total10), null,
            "match rate 90% below the threshold 99%: 10% differ at body:$.total"),
        new Case("noise at a field no rule names (status): noise without a suggestion", spec(), null,
            observed(500, 500, mismatched(Map.of("status", 500L), Map.of("status", 2L))), 0, Shadowing,
            List.of(new FieldDifference("status", 50.0, true, null)), null,
            "match rate 50% below the threshold 99%: 50% differ at status (noise: legacy differs from itself)"),
        new Case("the top 3 by count, ties by name; noise only where legacy differed from itself", spec(), null,
            observed(960, 40, mismatched(
                Map.of("header:x-a", 10L, "header:x-c", 30L, "header:x-b", 30L, "header:x-d", 5L, TOTAL, 0L),
                Map.of("header:x-c", 1L, "header:x-d", 9L))), 0, Shadowing,
            List.of(new FieldDifference("header:x-b", 3.0, false, null),
                new FieldDifference("header:x-c", 3.0, true, "ignoreHeaders: [x-c]"),
                new FieldDifference("header:x-a", 1.0, false, null)), null,
            "match rate 96% below the threshold 99%: 3% differ at header:x-b"),
        new Case("a percent is of the window's comparisons, two decimals rounded down, at most 100", spec(), null,
            observed(0, 3000, mismatched(Map.of(TOTAL, 3100L, "body:$.id", 1L), Map.of())), 0, Shadowing,
            List.of(new FieldDifference(TOTAL, 100.0, false, null), new FieldDifference("body:$.id", 0.03, false, null)),
            null, "match rate 0% below the threshold 99%: 100% differ at body:$.total"),
        new Case("a rollback on the match rate names the field", spec(), was(10, Promoting, ago(30)),
            observed(900, 100, mismatched(Map.of(TOTAL, 100L), Map.of())), 0, RolledBack, List.of(total10), null,
            "rolled back: match rate 90% fell below 99%: 10% differ at body:$.total;"
                + " starts over once the threshold holds again"),
        new Case("too few samples hold it, not the match rate: the message does not name a field", spec(), null,
            observed(10, 40, servedByNoise), 0, Shadowing, List.of(SERVED_BY_NOISE), null,
            "50 of 100 samples needed in the last 30s"),
        new Case("noise ignored by the proxy: listed sorted, while every comparison matches", ignoring, null,
            observed(1000, 0, new FieldCounts(Map.of(), Map.of(), Set.of("header:x-z", "body:$.at", "header:x-a"))),
            0, Ready, null, List.of("body:$.at", "header:x-a", "header:x-z"), "threshold met"),
        new Case("the differences query failed, still unmatched: the last differences stay", spec(),
            withDifferences(was(0, Shadowing, null), List.of(SERVED_BY_NOISE)), failedFields(0, 1000), 0, Shadowing,
            List.of(SERVED_BY_NOISE), List.of("header:x-request-stamp"),
            "match rate 0% below the threshold 99%: 100% differ at header:x-served-by"),
        new Case("the differences query failed, all matched now: the last differences go with their cause", spec(),
            withDifferences(was(0, Shadowing, null), List.of(SERVED_BY_NOISE)), failedFields(1000, 0), 0, Ready,
            null, List.of("header:x-request-stamp"), "threshold met"),
        new Case("metrics unavailable: the last differences stay, as the match rate does", spec(),
            withDifferences(was(0, Shadowing, null), List.of(SERVED_BY_NOISE)), DOWN, 0, Shadowing,
            List.of(SERVED_BY_NOISE), List.of("header:x-request-stamp"), "frozen: metrics unavailable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void statusSaysWhy(Case c) {
    EndpointStatus e = roundTrip(decider.decide(c.spec(), 1, NONE, c.observed(),
        statusOf(c.previous()), NOW).status()).getEndpoints().get(0);
    assertThat(e.getWeight()).isEqualTo(c.weight());
    assertThat(e.getState()).isEqualTo(c.state());
    assertThat(e.getDifferences()).isEqualTo(c.differences());
    assertThat(e.getIgnoredNoise()).isEqualTo(c.ignoredNoise());
    assertThat(e.getMessage()).startsWith(c.message());
    if (!c.message().contains(" differ at ")) assertThat(e.getMessage()).doesNotContain(" differ at ");
  }

  private static io.parallelrun.api.ParallelRunStatus statusOf(EndpointStatus endpoint) {
    if (endpoint == null) return null;
    io.parallelrun.api.ParallelRunStatus status = new io.parallelrun.api.ParallelRunStatus();
    status.setEndpoints(List.of(endpoint));
    return status;
  }
}
