package io.parallelrun.proxy.noise;

import com.jayway.jsonpath.JsonPath;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.metrics.FieldName;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.compare.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * What one endpoint's noise probes taught this proxy: in how many probes each header or JSON field was noise, and
 * (with {@code comparator.noise: Ignore}) the fields left out of the endpoint's comparisons once they reach
 * {@code noiseIgnoreAfter}. Status, a body that is not JSON and {@code other} are never ignored: no rule names them
 * ({@link FieldName#rule}). Kept with the endpoint's meters, so it survives a routing-table rebuild; never persisted.
 *
 * <p>Comparisons run on a pool and read the learned fields on every comparison: those are an immutable snapshot
 * swapped whole, never a shared set edited in place.
 */
public final class LearnedNoise {
  /** Fields whose probes are counted; later ones are not learned (a body of data-like keys must not grow this). */
  static final int MAX_TRACKED = 64;
  static final int MAX_IGNORED = EndpointStatus.MAX_IGNORED_NOISE;

  private final BiConsumer<String, BooleanSupplier> exportIgnored;
  private final Map<String, Integer> probesNoisyIn = new HashMap<>(); // guarded by this
  private volatile Ignored ignored = Ignored.NONE;
  private volatile WithIgnored cached; // the last rules combined with the ignored fields
  private volatile boolean ignoring; // the endpoint's mode, as its last comparison saw it: Ignore

  /**
   * @param exportIgnored exports a field as ignored (its gauge), once per field, with what tells whether the
   *     endpoint's comparisons leave it out now
   */
  public LearnedNoise(BiConsumer<String, BooleanSupplier> exportIgnored) {
    this.exportIgnored = exportIgnored;
  }

  /**
   * One probe's noise: the fields at which legacy's two answers differed, each named once.
   *
   * @param mode the endpoint's comparator.noise: fields are ignored only with Ignore
   * @param ignoreAfter the endpoint's comparator.noiseIgnoreAfter
   */
  public synchronized void noiseIn(Set<String> fields, NoiseMode mode, int ignoreAfter) {
    for (String field : fields) {
      if (FieldName.rule(field).isEmpty()) continue; // could never be ignored
      Integer n = probesNoisyIn.get(field);
      if (n == null && probesNoisyIn.size() >= MAX_TRACKED) continue;
      probesNoisyIn.put(field, n == null ? 1 : n + 1);
    }
    ignoring = mode == NoiseMode.Ignore;
    if (!ignoring) return;
    probesNoisyIn.forEach((field, n) -> {
      if (n >= ignoreAfter && ignored.fields().size() < MAX_IGNORED && !ignored.fields().contains(field)) {
        ignore(field);
      }
    });
  }

  /**
   * Ignores, as if learned here, the fields the run's status lists as ignored noise
   * ({@code status.endpoints[].ignoredNoise}): what the run's proxies learned before this one started. Without it a
   * new or restarted proxy would count the noise as mismatches again until it had probed it itself, and those
   * mismatches could roll back an endpoint that had been cut over. Only fields a rule can name, within the bound.
   * Called with the endpoint set to Ignore only.
   */
  public synchronized void adopt(Collection<String> fields) {
    ignoring = true;
    for (String field : fields) {
      if (field == null || field.length() > FieldName.MAX_LENGTH || FieldName.rule(field).isEmpty()) continue;
      if (ignored.fields().size() >= MAX_IGNORED) return;
      if (!ignored.fields().contains(field)) ignore(field);
    }
  }

  private void ignore(String field) {
    Optional<FieldName.Rule> rule = FieldName.rule(field);
    Set<String> headers = new HashSet<>(ignored.headers());
    List<JsonPath> paths = new ArrayList<>(ignored.paths());
    switch (rule.orElseThrow().list()) {
      case ignoreHeaders -> headers.add(rule.get().entry());
      case ignoreJsonPaths -> {
        try {
          paths.addAll(Json.compile(List.of(rule.get().entry())));
        } catch (IllegalArgumentException notAPath) {
          return; // named by DifferingFields as a valid path; never ignore what cannot be compiled
        }
      }
    }
    Set<String> fields = new HashSet<>(ignored.fields());
    fields.add(field);
    ignored = new Ignored(Set.copyOf(fields), Set.copyOf(headers), List.copyOf(paths));
    exportIgnored.accept(field, () -> ignores(field));
  }

  /**
   * Whether the endpoint's comparisons leave the field out now: learned, and the endpoint still set to Ignore (a
   * manifest changed to Report or Off compares it again, and its gauge goes to 0).
   */
  boolean ignores(String field) {
    return ignoring && ignored.fields().contains(field);
  }

  /**
   * The rules to compare the endpoint by: {@code base} itself unless the endpoint ignores learned noise, else
   * {@code base} with the learned headers and JSON paths added (combined once per change, not per comparison).
   */
  public ComparatorRules rules(ComparatorRules base, NoiseMode mode) {
    Ignored now = ignored;
    if (now.fields().isEmpty()) return base;
    boolean ignore = mode == NoiseMode.Ignore;
    if (ignoring != ignore) ignoring = ignore; // written only on a change: one volatile read per comparison
    if (!ignore) return base;
    WithIgnored last = cached;
    if (last != null && last.base() == base && last.ignored() == now) return last.rules();
    ComparatorRules rules = base.ignoring(now.headers(), now.paths());
    cached = new WithIgnored(base, now, rules);
    return rules;
  }

  private record Ignored(Set<String> fields, Set<String> headers, List<JsonPath> paths) {
    static final Ignored NONE = new Ignored(Set.of(), Set.of(), List.of());
  }

  private record WithIgnored(ComparatorRules base, Ignored ignored, ComparatorRules rules) {}
}
