package io.parallelrun.api;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.ArrayList;
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
  /** The proxy's admin port (/metrics, /mismatches, health): the operator's pods, the proxy's default, the plugin. */
  public static final int PROXY_ADMIN_PORT = 9901;
  public static final MismatchSamples MISMATCH_SAMPLES = MismatchSamples.Redacted;
  public static final NoiseMode NOISE = NoiseMode.Report;
  /** One probe a second at most: a noisy field shows within a minute, and legacy sees at most 1 request/s more. */
  public static final int NOISE_PROBES_PER_MINUTE = 60;
  public static final int NOISE_PROBES_PER_MINUTE_MIN = 1;
  public static final int NOISE_PROBES_PER_MINUTE_MAX = 600;
  /** Noise probes never exceed this share of an endpoint's requests, whatever the rate allows. */
  public static final double NOISE_PROBES_MAX_SHARE = 0.05;
  /** Five probes in which legacy differed from itself at a field: a coincidence that often is no coincidence. */
  public static final int NOISE_IGNORE_AFTER = 5;
  public static final int NOISE_IGNORE_AFTER_MIN = 1;
  public static final int NOISE_IGNORE_AFTER_MAX = 1000;
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
  /**
   * Bounds of threshold.confidence, in percent. Below 50 an interval says less than the rate itself; at 100 it
   * would be infinitely wide (the normal quantile diverges), so 99.9 (z = 3.29) is the most cautious.
   */
  public static final double CONFIDENCE_MIN = 50;
  public static final double CONFIDENCE_MAX = 99.9;
  static final String CONFIDENCE_MIN_TEXT = "50";
  static final String CONFIDENCE_MAX_TEXT = "99.9";
  /**
   * Bounds of every latency ratio (candidate / legacy): below 1 a gate would demand a candidate faster than legacy,
   * which is no migration criterion; above 100 a gate no longer gates anything.
   */
  public static final double LATENCY_RATIO_MIN = 1.0;
  public static final double LATENCY_RATIO_MAX = 100;
  static final String LATENCY_RATIO_MIN_TEXT = "1.0";
  static final String LATENCY_RATIO_MAX_TEXT = "100";
  /**
   * The floor under every latency ratio: a ratio breaches a gate or the rollback only when the candidate's quantile
   * is also at least this much above legacy's. A ratio of sub-millisecond latencies says more about the proxy's event
   * loops (the side that answers the client is timed relaying to it, the shadow is not) than about the candidate: two
   * equally fast backends measured 0.4x to 2.8x at p50, and p99 up to 26x on a loaded machine.
   */
  public static final Duration LATENCY_MIN_DIFFERENCE = Duration.ofMillis(10);
  public static final String LATENCY_MIN_DIFFERENCE_MIN = "0s";
  public static final String LATENCY_MIN_DIFFERENCE_MAX = "10s";
  static final String ANALYSIS_INTERVAL_RULE = "duration(self) >= duration('" + ANALYSIS_INTERVAL_MIN
      + "') && duration(self) <= duration('" + ANALYSIS_INTERVAL_MAX + "')";
  static final String ANALYSIS_INTERVAL_BOUNDS = "must be between " + ANALYSIS_INTERVAL_MIN + " and " + ANALYSIS_INTERVAL_MAX;
  static final String WINDOW_RULE = "duration(self) >= duration('" + WINDOW_MIN
      + "') && duration(self) <= duration('" + WINDOW_MAX + "')";
  static final String WINDOW_BOUNDS = "must be between " + WINDOW_MIN + " and " + WINDOW_MAX;
  static final String HOLD_FOR_RULE = "duration(self) >= duration('" + HOLD_FOR_MIN
      + "') && duration(self) <= duration('" + HOLD_FOR_MAX + "')";
  static final String HOLD_FOR_BOUNDS = "must be between " + HOLD_FOR_MIN + " and " + HOLD_FOR_MAX;
  static final String LATENCY_MIN_DIFFERENCE_RULE = "duration(self) >= duration('" + LATENCY_MIN_DIFFERENCE_MIN
      + "') && duration(self) <= duration('" + LATENCY_MIN_DIFFERENCE_MAX + "')";
  static final String LATENCY_MIN_DIFFERENCE_BOUNDS = "must be between " + LATENCY_MIN_DIFFERENCE_MIN + " and "
      + LATENCY_MIN_DIFFERENCE_MAX;

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
    requireNoiseBounds(spec, endpoint);

    return new ResolvedEndpoint(
        endpoint.getName(),
        endpoint.getMethod(),
        endpoint.getPath(),
        matchRate,
        first(own, shared, ThresholdSpec::getMinSamples, MIN_SAMPLES),
        thresholdDuration(spec, endpoint, ThresholdSpec::getWindow, "window", WINDOW, WINDOW_MIN, WINDOW_MAX),
        thresholdDuration(spec, endpoint, ThresholdSpec::getHoldFor, "holdFor", HOLD_FOR, HOLD_FOR_MIN, HOLD_FOR_MAX),
        rollbackBelow != null ? rollbackBelow : matchRate,
        confidence(spec, endpoint),
        endpoint.getSteps() != null ? endpoint.getSteps()
            : defaults.getSteps() != null ? defaults.getSteps() : STEPS,
        mirror,
        endpoint.getMirrorPercent() != null ? endpoint.getMirrorPercent() : MIRROR_PERCENT,
        endpoint.getPromotion() != null ? endpoint.getPromotion() : Promotion.Automatic,
        comparator(endpoint.getComparator(), defaults.getComparator()),
        latency(spec, endpoint));
  }

  /**
   * The endpoint's latency gate (each ratio and the floor its own, else the defaults' one) and the run's latency
   * rollback, which is held to the endpoint's floor too.
   *
   * @throws IllegalArgumentException naming the field when a ratio or the floor is out of its bounds
   */
  static ResolvedLatency latency(ParallelRunSpec spec, EndpointSpec endpoint) {
    String own = "spec.endpoints[" + spec.getEndpoints().indexOf(endpoint) + "].threshold.latency.";
    LatencyThresholdSpec ownGate = endpoint.getThreshold() == null ? null : endpoint.getThreshold().getLatency();
    LatencyThresholdSpec sharedGate = spec.getDefaults() == null || spec.getDefaults().getThreshold() == null ? null
        : spec.getDefaults().getThreshold().getLatency();
    LatencyRollbackSpec rollback = spec.getRollback() == null ? null : spec.getRollback().getLatency();
    return new ResolvedLatency(
        latencyRatio(own, ownGate, sharedGate, LatencyThresholdSpec::getP50Ratio, "p50Ratio"),
        latencyRatio(own, ownGate, sharedGate, LatencyThresholdSpec::getP99Ratio, "p99Ratio"),
        rollback == null ? null
            : latencyRatio("spec.rollback.latency.p99RatioAbove", rollback.getP99RatioAbove()),
        minDifference(own, ownGate, sharedGate));
  }

  private static Duration minDifference(String ownPrefix, LatencyThresholdSpec own, LatencyThresholdSpec shared) {
    if (own != null && own.getMinDifference() != null) {
      return Durations.parse(ownPrefix + "minDifference", own.getMinDifference(), LATENCY_MIN_DIFFERENCE_MIN,
          LATENCY_MIN_DIFFERENCE_MAX);
    }
    if (shared != null && shared.getMinDifference() != null) {
      return Durations.parse("spec.defaults.threshold.latency.minDifference", shared.getMinDifference(),
          LATENCY_MIN_DIFFERENCE_MIN, LATENCY_MIN_DIFFERENCE_MAX);
    }
    return LATENCY_MIN_DIFFERENCE;
  }

  private static Double latencyRatio(String ownPrefix, LatencyThresholdSpec own, LatencyThresholdSpec shared,
      Function<LatencyThresholdSpec, Double> getter, String name) {
    if (own != null && getter.apply(own) != null) return latencyRatio(ownPrefix + name, getter.apply(own));
    if (shared != null && getter.apply(shared) != null) {
      return latencyRatio("spec.defaults.threshold.latency." + name, getter.apply(shared));
    }
    return null;
  }

  private static Double latencyRatio(String field, Double value) {
    if (value != null && !(value >= LATENCY_RATIO_MIN && value <= LATENCY_RATIO_MAX)) {
      throw new IllegalArgumentException(field + ": must be between " + LATENCY_RATIO_MIN_TEXT + " and "
          + LATENCY_RATIO_MAX_TEXT + " (candidate / legacy), was " + value);
    }
    return value;
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
        first(o, s, ComparatorSpec::getNumericTolerance, 0.0),
        first(o, s, ComparatorSpec::getNoise, NOISE),
        first(o, s, ComparatorSpec::getNoiseProbesPerMinute, NOISE_PROBES_PER_MINUTE),
        first(o, s, ComparatorSpec::getNoiseIgnoreAfter, NOISE_IGNORE_AFTER));
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

  /**
   * The endpoint's own confidence, else the shared one, else none (no interval: the decision compares the observed
   * rate as it is).
   *
   * @throws IllegalArgumentException naming the field when the value is out of its bounds
   */
  private static Double confidence(ParallelRunSpec spec, EndpointSpec endpoint) {
    String field;
    Double value;
    if (endpoint.getThreshold() != null && endpoint.getThreshold().getConfidence() != null) {
      field = "spec.endpoints[" + spec.getEndpoints().indexOf(endpoint) + "].threshold.confidence";
      value = endpoint.getThreshold().getConfidence();
    } else if (spec.getDefaults() != null && spec.getDefaults().getThreshold() != null
        && spec.getDefaults().getThreshold().getConfidence() != null) {
      field = "spec.defaults.threshold.confidence";
      value = spec.getDefaults().getThreshold().getConfidence();
    } else {
      return null;
    }
    if (!(value >= CONFIDENCE_MIN && value <= CONFIDENCE_MAX)) {
      throw new IllegalArgumentException(field + ": must be between " + CONFIDENCE_MIN_TEXT + " and "
          + CONFIDENCE_MAX_TEXT + " (percent), was " + value);
    }
    return value;
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

  /**
   * spec.proxy.tuning as the proxy's command-line flags ({@code --max-body-bytes=...}), in a fixed order so the
   * Deployment does not change while the spec does not; an unset field passes no flag (the proxy's default).
   *
   * @throws IllegalArgumentException naming the field when a value is out of its bounds
   */
  public static List<String> proxyFlags(ParallelRunSpec spec) {
    ProxyTuningSpec t = spec.getProxy() == null ? null : spec.getProxy().getTuning();
    if (t == null) return List.of();
    List<String> flags = new ArrayList<>();
    intFlag(flags, "max-body-bytes", "maxBodyBytes", t.getMaxBodyBytes(),
        ProxyTuningSpec.MAX_BODY_BYTES_MIN, ProxyTuningSpec.MAX_BODY_BYTES_MAX);
    intFlag(flags, "max-in-flight-comparisons", "maxInFlightComparisons", t.getMaxInFlightComparisons(),
        1, ProxyTuningSpec.MAX_IN_FLIGHT_MAX);
    durationFlag(flags, "shadow-timeout", "shadowTimeout", t.getShadowTimeout(),
        ProxyTuningSpec.SHADOW_TIMEOUT_MIN, ProxyTuningSpec.SHADOW_TIMEOUT_MAX);
    durationFlag(flags, "connect-timeout", "connectTimeout", t.getConnectTimeout(),
        ProxyTuningSpec.CONNECT_TIMEOUT_MIN, ProxyTuningSpec.CONNECT_TIMEOUT_MAX);
    durationFlag(flags, "upstream-timeout", "upstreamTimeout", t.getUpstreamTimeout(),
        ProxyTuningSpec.LONG_TIMEOUT_MIN, ProxyTuningSpec.LONG_TIMEOUT_MAX);
    durationFlag(flags, "idle-timeout", "idleTimeout", t.getIdleTimeout(),
        ProxyTuningSpec.LONG_TIMEOUT_MIN, ProxyTuningSpec.LONG_TIMEOUT_MAX);
    intFlag(flags, "pool-size", "poolSize", t.getPoolSize(), 1, ProxyTuningSpec.POOL_SIZE_MAX);
    intFlag(flags, "http2-pool-size", "http2PoolSize", t.getHttp2PoolSize(), 1, ProxyTuningSpec.POOL_SIZE_MAX);
    durationFlag(flags, "client-header-timeout", "clientHeaderTimeout", t.getClientHeaderTimeout(),
        ProxyTuningSpec.CLIENT_TIMEOUT_MIN, ProxyTuningSpec.CLIENT_TIMEOUT_MAX);
    durationFlag(flags, "client-body-timeout", "clientBodyTimeout", t.getClientBodyTimeout(),
        ProxyTuningSpec.CLIENT_TIMEOUT_MIN, ProxyTuningSpec.CLIENT_TIMEOUT_MAX);
    durationFlag(flags, "client-idle-timeout", "clientIdleTimeout", t.getClientIdleTimeout(),
        ProxyTuningSpec.CLIENT_TIMEOUT_MIN, ProxyTuningSpec.CLIENT_TIMEOUT_MAX);
    return List.copyOf(flags);
  }

  private static void intFlag(List<String> flags, String flag, String field, Integer value, int min, int max) {
    if (value == null) return;
    requireWithin("spec.proxy.tuning." + field, value, min, max);
    flags.add("--" + flag + "=" + value);
  }

  /** @throws IllegalArgumentException naming the field when a value that is set lies outside [min, max] */
  private static void requireWithin(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + ", was " + value);
    }
  }

  /**
   * The noise settings of the endpoint's and the shared comparator within the bounds the CRD gives them, so that a
   * manifest no API server checked (the standalone proxy's) gets the same refusal, naming the field: a
   * noiseIgnoreAfter of 0 or less would ignore a field after a single probe, a rate of 0 or less stop probing.
   */
  private static void requireNoiseBounds(ParallelRunSpec spec, EndpointSpec endpoint) {
    requireNoiseBounds("spec.endpoints[" + spec.getEndpoints().indexOf(endpoint) + "].comparator.",
        endpoint.getComparator());
    requireNoiseBounds("spec.defaults.comparator.",
        spec.getDefaults() == null ? null : spec.getDefaults().getComparator());
  }

  private static void requireNoiseBounds(String prefix, ComparatorSpec comparator) {
    if (comparator == null) return;
    requireWithin(prefix + "noiseProbesPerMinute", comparator.getNoiseProbesPerMinute(), NOISE_PROBES_PER_MINUTE_MIN,
        NOISE_PROBES_PER_MINUTE_MAX);
    requireWithin(prefix + "noiseIgnoreAfter", comparator.getNoiseIgnoreAfter(), NOISE_IGNORE_AFTER_MIN,
        NOISE_IGNORE_AFTER_MAX);
  }

  private static void durationFlag(List<String> flags, String flag, String field, String text, String min, String max) {
    if (text == null) return;
    Durations.parse("spec.proxy.tuning." + field, text, min, max);
    flags.add("--" + flag + "=" + text);
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
