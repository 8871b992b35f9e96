package io.parallelrun.proxy.noise;

import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.compare.Comparison;
import io.parallelrun.proxy.compare.DifferingFields;
import io.parallelrun.proxy.compare.ResponseComparator;
import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.proxy.exchange.ProxyExchange;
import io.parallelrun.proxy.routing.Route;
import java.util.HashSet;
import java.util.Set;

/**
 * Noise learning, an A/A comparison without a second legacy deployment (comparator.noise): after an unmatched
 * comparison of a mirrored GET, HEAD or OPTIONS request, legacy may get the same request once more, and the fields
 * at which its two answers differ are noise. This class decides whether an exchange may be probed and learns from
 * the probe's answer; the shadow lane sends it and the comparison service holds its permit.
 */
public final class NoiseProbes {
  /** Methods a probe may repeat: safe ones, whose repetition changes nothing on legacy (RFC 9110 9.2.1). */
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final ResponseComparator comparator;

  public NoiseProbes(ResponseComparator comparator) {
    this.comparator = comparator;
  }

  /**
   * The rules the route's comparisons go by: its own, plus the noise it learned when it ignores noise. Cheap enough
   * for every comparison: two volatile reads once nothing changes.
   */
  public static ComparatorRules rules(Route route) {
    EndpointNoise noise = route.metrics().noise();
    return noise == null ? route.rules() : noise.learned().rules(route.rules(), route.endpoint().comparator().noise());
  }

  /** Whether the exchange's request may be repeated to legacy at all, before any budget is asked. */
  public boolean eligible(ProxyExchange x) {
    Route route = x.route();
    return route != null && route.metrics().noise() != null && route.endpoint().mirror()
        && route.endpoint().comparator().noise() != NoiseMode.Off && SAFE_METHODS.contains(x.method())
        && x.legacy() instanceof SideOutcome.Answer;
  }

  /** Takes one probe from the endpoint's budget (its rate and its share of requests). */
  public boolean takeBudget(ProxyExchange x) {
    Route route = x.route();
    return route.metrics().noise().budget()
        .tryTake(route.endpoint().comparator().noiseProbesPerMinute(), route.metrics().requests());
  }

  /**
   * Compares legacy's first answer with the probe's by the endpoint's rules and counts each field at which they
   * differ once. A probe that was not answered (shed, failed, timed out, too large) teaches nothing.
   */
  public void learn(ProxyExchange x, SideOutcome probe) {
    if (!(probe instanceof SideOutcome.Answer second) || !(x.legacy() instanceof SideOutcome.Answer first)) return;
    Route route = x.route();
    ResolvedComparator settings = route.endpoint().comparator();
    EndpointNoise noise = route.metrics().noise();
    ComparatorRules rules = rules(route);
    Comparison result = comparator.compare(first.response(), second.response(), rules);
    if (result.matched()) return;
    Set<String> fields = new HashSet<>(); // as many as the bounded body names at most
    DifferingFields.of(result, rules, fields::add);
    noise.fields().countOnce(sink -> fields.forEach(sink));
    noise.learned().noiseIn(fields, settings.noise(), settings.noiseIgnoreAfter());
  }
}
