package io.parallelrun.kubectl;

import io.parallelrun.api.ComparatorSpec;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.metrics.FieldName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The comparator rules that learned noise calls for, as the part of a ParallelRun spec to commit through Git: for
 * each endpoint whose status names noise a rule can leave out ({@code differences[]} with {@code noise: true}, and
 * {@code ignoredNoise}), its {@code ignoreHeaders} and {@code ignoreJsonPaths}, each the endpoint's current
 * effective list (its own, else spec.defaults.comparator's: {@link SpecDefaults}) plus the new entries. An endpoint
 * list replaces the shared one as a whole, so a list without what the endpoint has today would drop rules. A list
 * that gains nothing is left out, and so keeps resolving as it does. Pure: no cluster, so it is unit-tested.
 */
final class NoiseRules {
  private NoiseRules() {}

  /**
   * @return a spec with only {@code endpoints[].name} and {@code endpoints[].comparator} set, in spec order; no
   *     endpoints when there is nothing to suggest
   * @throws IllegalArgumentException naming the field when the spec does not resolve
   */
  static ParallelRunSpec suggest(ParallelRunSpec spec, Map<String, EndpointStatus> statuses) {
    ParallelRunSpec suggested = new ParallelRunSpec();
    for (EndpointSpec endpoint : spec.getEndpoints()) {
      EndpointStatus status = statuses.get(endpoint.getName());
      if (status == null) continue;
      List<FieldName.Rule> learned = learned(status);
      if (learned.isEmpty()) continue;
      ResolvedComparator current = SpecDefaults.resolve(spec, endpoint).comparator();
      ComparatorSpec rules = new ComparatorSpec();
      rules.setIgnoreHeaders(gained(current.ignoreHeaders(), learned, FieldName.RuleList.ignoreHeaders,
          // Header names are case-insensitive: X-Served-By in Git already leaves out header:x-served-by.
          h -> h.toLowerCase(Locale.ROOT)));
      rules.setIgnoreJsonPaths(gained(current.ignoreJsonPaths(), learned, FieldName.RuleList.ignoreJsonPaths,
          Function.identity()));
      if (rules.getIgnoreHeaders() == null && rules.getIgnoreJsonPaths() == null) continue;
      EndpointSpec out = new EndpointSpec();
      out.setName(endpoint.getName());
      out.setComparator(rules);
      suggested.getEndpoints().add(out);
    }
    return suggested;
  }

  /** The rules for the endpoint's noise, differences first (most differing first), then ignoredNoise. */
  private static List<FieldName.Rule> learned(EndpointStatus status) {
    Stream<String> noisy = Optional.ofNullable(status.getDifferences()).orElse(List.of()).stream()
        .filter(d -> Boolean.TRUE.equals(d.getNoise())).map(FieldDifference::getField);
    Stream<String> ignored = Optional.ofNullable(status.getIgnoredNoise()).orElse(List.of()).stream();
    return Stream.concat(noisy, ignored).map(FieldName::rule).flatMap(Optional::stream).toList();
  }

  /** The current list plus the learned entries it lacks, or null when it lacks none. */
  private static List<String> gained(List<String> current, List<FieldName.Rule> learned, FieldName.RuleList list,
      Function<String, String> key) {
    List<String> merged = new ArrayList<>(current);
    List<String> keys = new ArrayList<>(current.stream().map(key).toList());
    for (FieldName.Rule rule : learned) {
      if (rule.list() == list && !keys.contains(key.apply(rule.entry()))) {
        merged.add(rule.entry());
        keys.add(key.apply(rule.entry()));
      }
    }
    return merged.size() == current.size() ? null : merged;
  }
}
