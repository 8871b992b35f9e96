package io.parallelrun.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.parallelrun.api.metrics.MetricLabels;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One endpoint's parallelrun_mismatch_fields_total series (or parallelrun_noise_fields_total's): the first {@code limit} distinct fields seen get a series
 * of their own, every later one counts under {@link MetricLabels#OTHER_FIELD}, so an endpoint has at most limit + 1
 * series whatever its answers hold. First seen rather than most frequent: a Prometheus counter cannot hand its
 * label to another field later, and the fields that keep an endpoint back are those of its first mismatches, as
 * they are of all the others. A limit of 0 turns the counting off (no series).
 */
public final class MismatchFieldCounts {
  /** Series per endpoint by default ({@code --mismatch-fields-per-endpoint}). */
  public static final int DEFAULT_PER_ENDPOINT = 20;
  private static final MismatchFieldCounts OFF = new MismatchFieldCounts(0, field -> null);

  private final int limit;
  private final Function<String, Counter> register;
  private final Map<String, Counter> top = new ConcurrentHashMap<>();
  private final Counter other;

  /** @param register registers the counter of a field name, called at most limit + 1 times */
  MismatchFieldCounts(int limit, Function<String, Counter> register) {
    this.limit = limit;
    this.register = register;
    // registered up front, like every other series of an endpoint: the family is there from the first scrape
    this.other = limit > 0 ? register.apply(MetricLabels.OTHER_FIELD) : null;
  }

  static MismatchFieldCounts off() {
    return OFF;
  }

  public boolean enabled() {
    return limit > 0;
  }

  /**
   * Counts one unmatched comparison: each of its fields once, and {@code other} once if any of them is beyond the
   * top ones, however often the source names them (every item of an array) or how many it names.
   *
   * @param fields gives each field of the comparison to the consumer it is handed
   */
  public void countOnce(Consumer<Consumer<String>> fields) {
    if (!enabled()) return;
    Set<Counter> hit = Collections.newSetFromMap(new IdentityHashMap<>()); // at most limit + 1 entries
    fields.accept(field -> hit.add(counterOf(field)));
    hit.forEach(Counter::increment);
  }

  private Counter counterOf(String field) {
    Counter c = top.get(field);
    if (c != null) return c;
    if (top.size() >= limit) return other; // the common case once full: no lock
    synchronized (this) {
      c = top.get(field);
      if (c != null) return c;
      if (top.size() >= limit) return other;
      c = register.apply(field);
      top.put(field, c);
      return c;
    }
  }
}
