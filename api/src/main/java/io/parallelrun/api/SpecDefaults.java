package io.parallelrun.api;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
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
  /**
   * The proxy container's resources unless spec.proxy.resources is set (which then replaces them as a whole).
   * Memory request = limit, so a proxy is never the first to be evicted for memory; the heap is a share of the
   * limit (MaxRAMPercentage). The CPU limit also tells the JVM, and so the proxy's event loops, how many CPUs
   * it has; the request is what the proxy needs at a few thousand requests a second.
   */
  public static final String PROXY_CPU_REQUEST = "500m";
  public static final String PROXY_CPU_LIMIT = "2";
  public static final String PROXY_MEMORY = "768Mi";

  // Bounds of every duration in the spec, checked here and by the CRD's CEL rules (the rule strings below, used
  // in annotations, which need constants). The interval's minimum keeps one run from making the operator query
  // Prometheus many times a second (0s meant every 100 ms); the demo and the tests run at 1-2 s.
  public static final String ANALYSIS_INTERVAL_MIN = "1s";
  public static final String ANALYSIS_INTERVAL_MAX = "1h";
  /** A window is a Prometheus range: a week is far more than any cutover needs, and bounds the query's cost. */
  public static final String WINDOW_MIN = "1s";
  public static final String WINDOW_MAX = "168h";
  public static final String HOLD_FOR_MIN = "0s";
  public static final String HOLD_FOR_MAX = "168h";
  static final String ANALYSIS_INTERVAL_RULE = "duration(self) >= duration('" + ANALYSIS_INTERVAL_MIN
      + "') && duration(self) <= duration('" + ANALYSIS_INTERVAL_MAX + "')";
  static final String ANALYSIS_INTERVAL_BOUNDS = "must be between " + ANALYSIS_INTERVAL_MIN + " and " + ANALYSIS_INTERVAL_MAX;
  static final String WINDOW_RULE = "duration(self) >= duration('" + WINDOW_MIN
      + "') && duration(self) <= duration('" + WINDOW_MAX + "')";
  static final String WINDOW_BOUNDS = "must be between " + WINDOW_MIN + " and " + WINDOW_MAX;
  static final String HOLD_FOR_RULE = "duration(self) >= duration('" + HOLD_FOR_MIN
      + "') && duration(self) <= duration('" + HOLD_FOR_MAX + "')";
  static final String HOLD_FOR_BOUNDS = "must be between " + HOLD_FOR_MIN + " and " + HOLD_FOR_MAX;

  /** A provider's name as the operator's --analysis-providers file gives it: lowercase, DNS-label style. */
  public static final String ANALYSIS_PROVIDER_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  private SpecDefaults() {}

  public static List<ResolvedEndpoint> resolve(ParallelRunSpec spec) {
    return spec.getEndpoints().stream().map(e -> resolve(spec, e)).toList();
  }

  /** @throws IllegalArgumentException naming the field when a duration is no duration or out of its bounds */
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
        thresholdDuration(spec, endpoint, ThresholdSpec::getWindow, "window", WINDOW, WINDOW_MIN, WINDOW_MAX),
        thresholdDuration(spec, endpoint, ThresholdSpec::getHoldFor, "holdFor", HOLD_FOR, HOLD_FOR_MIN, HOLD_FOR_MAX),
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

  /** @throws IllegalArgumentException naming the field when the interval is no duration or out of its bounds */
  public static Duration analysisInterval(ParallelRunSpec spec) {
    String text = spec.getAnalysis() == null ? null : spec.getAnalysis().getInterval();
    return text == null ? ANALYSIS_INTERVAL
        : Durations.parse("spec.analysis.interval", text, ANALYSIS_INTERVAL_MIN, ANALYSIS_INTERVAL_MAX);
  }

  /**
   * The analysis provider the run names (spec.analysis.provider), if any. Without one, match rates are read from
   * {@link #prometheusUrl} or, when that is empty too, from the operator's --prometheus-url.
   *
   * @throws IllegalArgumentException naming the fields when both provider and prometheus are set (the CRD refuses
   *     that; this guards runs created under an older CRD and the standalone proxy's manifests)
   */
  public static Optional<String> analysisProvider(ParallelRunSpec spec) {
    AnalysisSpec analysis = spec.getAnalysis();
    if (analysis == null || analysis.getProvider() == null) return Optional.empty();
    if (analysis.getPrometheus() != null) {
      throw new IllegalArgumentException("spec.analysis.provider and spec.analysis.prometheus are mutually exclusive");
    }
    return Optional.of(analysis.getProvider());
  }

  /** The run's own Prometheus URL (spec.analysis.prometheus.url), if it gives one. */
  public static Optional<String> prometheusUrl(ParallelRunSpec spec) {
    AnalysisSpec analysis = spec.getAnalysis();
    return analysis == null || analysis.getPrometheus() == null ? Optional.empty()
        : Optional.ofNullable(analysis.getPrometheus().getUrl());
  }

  /** The endpoint's own value, else the shared default, else the built-in one; errors name the field that was set. */
  private static Duration thresholdDuration(ParallelRunSpec spec, EndpointSpec endpoint,
      Function<ThresholdSpec, String> getter, String name, Duration fallback, String min, String max) {
    if (endpoint.getThreshold() != null && getter.apply(endpoint.getThreshold()) != null) {
      String field = "spec.endpoints[" + spec.getEndpoints().indexOf(endpoint) + "].threshold." + name;
      return Durations.parse(field, getter.apply(endpoint.getThreshold()), min, max);
    }
    ThresholdSpec shared = spec.getDefaults() == null ? null : spec.getDefaults().getThreshold();
    if (shared != null && getter.apply(shared) != null) {
      return Durations.parse("spec.defaults.threshold." + name, getter.apply(shared), min, max);
    }
    return fallback;
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

  /** spec.proxy.resources, or the defaults above; a fresh object every call (the model is mutable). */
  public static ResourceRequirements proxyResources(ParallelRunSpec spec) {
    if (spec.getProxy() != null && spec.getProxy().getResources() != null) {
      return new ResourceRequirementsBuilder(spec.getProxy().getResources()).build();
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(PROXY_CPU_REQUEST))
        .addToRequests("memory", new Quantity(PROXY_MEMORY))
        .addToLimits("cpu", new Quantity(PROXY_CPU_LIMIT))
        .addToLimits("memory", new Quantity(PROXY_MEMORY))
        .build();
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
