package io.parallelrun.api;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The documented defaults of the ParallelRun API, applied in one place. */
public final class SpecDefaults {
  public static final double MATCH_RATE = 99.0;
  public static final long MIN_SAMPLES = 100;
  public static final Duration WINDOW = Duration.ofMinutes(10);
  public static final Duration HOLD_FOR = Duration.ofMinutes(5);
  public static final List<Integer> STEPS = List.of(100);
  public static final int MIRROR_PERCENT = 100;
  public static final Duration ANALYSIS_INTERVAL = Duration.ofSeconds(30);
  public static final int PROXY_REPLICAS = 2;
  public static final int PROXY_PORT = 8080;
  public static final MismatchSamples MISMATCH_SAMPLES = MismatchSamples.Redacted;

  private SpecDefaults() {}

  public static List<ResolvedEndpoint> resolve(ParallelRunSpec spec) {
    return spec.getEndpoints().stream().map(e -> resolve(spec, e)).toList();
  }

  public static ResolvedEndpoint resolve(ParallelRunSpec spec, EndpointSpec endpoint) {
    DefaultsSpec defaults = Optional.ofNullable(spec.getDefaults()).orElseGet(DefaultsSpec::new);
    ThresholdSpec own = Optional.ofNullable(endpoint.getThreshold()).orElseGet(ThresholdSpec::new);
    ThresholdSpec shared = Optional.ofNullable(defaults.getThreshold()).orElseGet(ThresholdSpec::new);

    double matchRate = first(own, shared, ThresholdSpec::getMatchRate, MATCH_RATE);
    Double rollbackBelow = spec.getRollback() == null ? null : spec.getRollback().getMatchRateBelow();
    boolean mirror = endpoint.getMirror() != null ? endpoint.getMirror() : endpoint.getMethod().isSafe();

    return new ResolvedEndpoint(
        endpoint.getName(),
        endpoint.getMethod(),
        endpoint.getPath(),
        matchRate,
        first(own, shared, ThresholdSpec::getMinSamples, MIN_SAMPLES),
        duration(first(own, shared, ThresholdSpec::getWindow, null), WINDOW),
        duration(first(own, shared, ThresholdSpec::getHoldFor, null), HOLD_FOR),
        rollbackBelow != null ? rollbackBelow : matchRate,
        endpoint.getSteps() != null ? endpoint.getSteps()
            : defaults.getSteps() != null ? defaults.getSteps() : STEPS,
        mirror,
        endpoint.getMirrorPercent() != null ? endpoint.getMirrorPercent() : MIRROR_PERCENT,
        endpoint.getPromotion() != null ? endpoint.getPromotion() : Promotion.Automatic,
        comparator(endpoint.getComparator(), defaults.getComparator()));
  }

  /** Endpoint rules replace the shared ones field by field; an absent field falls through. */
  static ResolvedComparator comparator(ComparatorSpec own, ComparatorSpec shared) {
    ComparatorSpec o = own != null ? own : new ComparatorSpec();
    ComparatorSpec s = shared != null ? shared : new ComparatorSpec();
    List<CompareAxis> axes = first(o, s, ComparatorSpec::getCompare, List.of(CompareAxis.values()));
    return new ResolvedComparator(
        axes.isEmpty() ? EnumSet.noneOf(CompareAxis.class) : EnumSet.copyOf(axes),
        first(o, s, ComparatorSpec::getIgnoreHeaders, List.of()),
        first(o, s, ComparatorSpec::getIgnoreJsonPaths, List.of()),
        first(o, s, ComparatorSpec::getUnorderedArrays, List.of()),
        first(o, s, ComparatorSpec::getNumericTolerance, 0.0));
  }

  public static Duration analysisInterval(ParallelRunSpec spec) {
    return duration(spec.getAnalysis() == null ? null : spec.getAnalysis().getInterval(), ANALYSIS_INTERVAL);
  }

  private static Duration duration(String text, Duration fallback) {
    return text == null ? fallback : Durations.parse(text);
  }

  public static MismatchSamples mismatchSamples(ParallelRunSpec spec) {
    return spec.getDataProtection() != null && spec.getDataProtection().getMismatchSamples() != null
        ? spec.getDataProtection().getMismatchSamples() : MISMATCH_SAMPLES;
  }

  /**
   * Whether samples and mismatch logs show the endpoint's path template instead of the requested path (and no
   * query). Unset, it follows the mode: only Full, which keeps everything by choice, shows the real path.
   */
  public static boolean redactPaths(ParallelRunSpec spec) {
    Boolean set = spec.getDataProtection() == null ? null : spec.getDataProtection().getRedactPaths();
    return set != null ? set : mismatchSamples(spec) != MismatchSamples.Full;
  }

  public static boolean paused(ParallelRunSpec spec) {
    return Boolean.TRUE.equals(spec.getPaused());
  }

  private static <S, T> T first(S own, S shared, Function<S, T> getter, T fallback) {
    T value = getter.apply(own);
    if (value != null) return value;
    value = getter.apply(shared);
    return value != null ? value : fallback;
  }
}
