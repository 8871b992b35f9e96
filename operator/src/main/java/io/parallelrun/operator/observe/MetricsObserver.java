package io.parallelrun.operator.observe;

import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.api.metrics.QueryOutcome;
import io.parallelrun.operator.state.PerRunCache;
import io.parallelrun.operator.state.RunStates;
import io.parallelrun.operator.observe.provider.AnalysisProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the comparison counters of a ParallelRun from Prometheus, at most once per analysis interval, and, only
 * for runs with a latency gate or rollback, both sides' latency quantiles with one more query ({@link LatencyQuery}),
 * and, only when some endpoint had unmatched comparisons or ignores noise, the fields they differed at with one more
 * ({@link DifferencesQuery}).
 *
 * <p>Reconciliations are also triggered by annotation edits, status patches and changes to the proxy objects.
 * Those reuse the last answer (data at most one interval old), which keeps the promise of one query per
 * ParallelRun per interval while letting an approval or a pause take effect at once. The cache is in memory
 * only: it holds no decision state, so losing it on restart costs one early query, nothing else. A run's last
 * answer is dropped with the run ({@link RunStates}).
 */
public class MetricsObserver {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsObserver.class);
  /**
   * Above any honest increase over a window (a million comparisons a second for a year is 3e13), exact as a
   * double, and four of them still fit a long.
   */
  static final double MAX_COUNT = 1e15;
  static final String BAD_DATA = "malformed answer: a count that is not a finite, non-negative number";

  /** The metrics to decide on, and when the next query is due (when to requeue). */
  public record Observation(ObservedMetrics metrics, Instant queriedAt, Instant nextQueryAt) {}

  /** @param source the provider's name or the URL the answer came from */
  private record Entry(Queries query, String source, Observation observation) {}

  /**
   * What one run asks each interval: its counts, and its latency quantiles if it gates or rolls back on latency. The
   * differences query is not part of it: it follows from the counts' answer.
   */
  private record Queries(String counts, Optional<String> latency) {}

  private final PrometheusClient prometheus;
  private final Optional<String> defaultPrometheusUrl;
  private final AnalysisProviders providers;
  private final Instruments instruments;
  private final PerRunCache<Entry> lastByRun;

  /** The operator's own metrics about analysis. */
  public interface Instruments {
    /** One Prometheus query, its outcome (success, empty, error, timeout) and how long it took. */
    void queried(String outcome, Duration took);

    /** How late a query started after it was due: the queueing part of "decision visible after the interval". */
    void analysisDelay(Duration late);

    Instruments NONE = new Instruments() {
      @Override
      public void queried(String outcome, Duration took) {}

      @Override
      public void analysisDelay(Duration late) {}
    };
  }

  /** @param providers what spec.analysis.provider may name (the operator's --analysis-providers) */
  public MetricsObserver(PrometheusClient prometheus, Optional<String> defaultPrometheusUrl, AnalysisProviders providers,
      Instruments instruments, RunStates states) {
    this.prometheus = prometheus;
    this.defaultPrometheusUrl = defaultPrometheusUrl;
    this.providers = providers;
    this.instruments = instruments;
    this.lastByRun = states.newCache();
  }

  /** With run states of its own, for an observer used on its own (no reconciler forgets its runs). */
  public MetricsObserver(PrometheusClient prometheus, Optional<String> defaultPrometheusUrl, Instruments instruments) {
    this(prometheus, defaultPrometheusUrl, AnalysisProviders.NONE, instruments);
  }

  /** The same, with providers. */
  public MetricsObserver(PrometheusClient prometheus, Optional<String> defaultPrometheusUrl, AnalysisProviders providers,
      Instruments instruments) {
    this(prometheus, defaultPrometheusUrl, providers, instruments, new RunStates());
  }

  public Observation observe(ParallelRun run, Instant now) {
    String key = run.getMetadata().getNamespace() + "/" + run.getMetadata().getName();
    Duration interval = SpecDefaults.analysisInterval(run.getSpec());
    List<ResolvedEndpoint> endpoints = SpecDefaults.resolve(run.getSpec());
    String countsQuery = ComparisonQuery.build(run.getMetadata().getNamespace(), run.getMetadata().getName(), endpoints);
    Optional<String> latencyQuery = LatencyQuery.build(run.getMetadata().getNamespace(), run.getMetadata().getName(),
        endpoints);
    Queries query = new Queries(countsQuery, latencyQuery);
    Optional<String> provider = SpecDefaults.analysisProvider(run.getSpec());
    Optional<String> url = provider.isPresent() ? Optional.empty() : prometheusUrlText(run);
    String source = provider.map(p -> "provider:" + p).or(() -> url).orElse("");

    Entry last = lastByRun.get(run).orElse(null);
    // Reuse the last answer while it is fresh and still answers the same question (same URL, same windows
    // and endpoints). A clock that stepped back makes the entry look fresh for longer: treat it as stale.
    if (last != null && last.query.equals(query) && last.source.equals(source)
        && !now.isBefore(last.observation.queriedAt()) && now.isBefore(last.observation.nextQueryAt())) {
      return last.observation;
    }
    if (last != null && !now.isBefore(last.observation.nextQueryAt())) {
      instruments.analysisDelay(Duration.between(last.observation.nextQueryAt(), now));
    }
    ObservedMetrics metrics = provider.isPresent() ? queryProvider(provider.get(), query, run, endpoints, key)
        : url.map(u -> queryValidated(run, u, query, endpoints, key)).orElseGet(() -> ObservedMetrics.unavailable("NoPrometheusUrl",
            "no Prometheus URL: set spec.analysis.provider, spec.analysis.prometheus.url or the operator's --prometheus-url"));
    Observation observation = new Observation(metrics, now, now.plus(interval));
    lastByRun.put(run, new Entry(query, source, observation));
    return observation;
  }

  private ObservedMetrics queryValidated(ParallelRun run, String urlText, Queries query,
      List<ResolvedEndpoint> endpoints, String key) {
    PrometheusUrl url;
    try {
      url = prometheusUrl(run, urlText);
    } catch (IllegalArgumentException e) {
      // The API server's schema rejects such URLs; this guards runs created under an older CRD.
      return ObservedMetrics.unavailable("InvalidPrometheusUrl", e.getMessage());
    }
    return query(PrometheusSource.url(prometheus, url), query, run, endpoints, key);
  }

  private ObservedMetrics queryProvider(String name, Queries query, ParallelRun run, List<ResolvedEndpoint> endpoints,
      String key) {
    return providers.find(name).map(p -> query(p, query, run, endpoints, key)).orElseGet(() -> ObservedMetrics.unavailable(
        "UnknownProvider", "spec.analysis.provider: the operator has no analysis provider named " + name
            + (providers.isEmpty() ? " (it is configured with none)" : "; it has " + String.join(", ", providers.names()))));
  }

  private ObservedMetrics query(PrometheusSource source, Queries query, ParallelRun run,
      List<ResolvedEndpoint> endpoints, String key) {
    ObservedMetrics counts = queryCounts(source, query.counts(), key);
    if (!(counts instanceof ObservedMetrics.Available available)) return counts;
    if (query.latency().isPresent()) {
      available = available.withLatency(queryLatency(source, query.latency().get(), key));
    }
    Optional<String> differences = DifferencesQuery.build(run.getMetadata().getNamespace(),
        run.getMetadata().getName(), endpoints, available.byEndpoint());
    return differences.isEmpty() ? available : queryFields(source, differences.get(), available, key);
  }

  /**
   * The counts with the fields they differed at. Fields are diagnostics: when this query fails the counts stand as
   * they are (every decision, MetricsAvailable and the rest of the status with them), the failure is counted and
   * logged, and the status keeps the differences it showed.
   */
  private ObservedMetrics.Available queryFields(PrometheusSource source, String query,
      ObservedMetrics.Available counts, String key) {
    try {
      return counts.withFields(FieldCounts.fromSamples(timedQuery(source, query)));
    } catch (PrometheusClient.QueryException e) {
      LOG.warn("Prometheus differences query for {} failed, differences not updated: {}", key, e.getMessage());
      return counts.withFieldsFailed();
    }
  }

  /**
   * The latency ratios per endpoint; none when the query fails: missing latency data freezes the latency gates (no
   * promotion, no rollback on latency) while the match rates, read without fault, still count.
   */
  private Map<String, LatencyRatios> queryLatency(PrometheusSource source, String query, String key) {
    try {
      return LatencyRatios.fromSamples(timedQuery(source, query));
    } catch (PrometheusClient.QueryException e) {
      LOG.warn("Prometheus latency query for {} failed, latency gates frozen: {}", key, e.getMessage());
      return Map.of();
    }
  }

  private ObservedMetrics queryCounts(PrometheusSource source, String query, String key) {
    try {
      List<PrometheusClient.Sample> samples = timedQuery(source, query);
      if (samples.isEmpty()) {
        return ObservedMetrics.unavailable("NoData", source.describe() + " has no " + ComparisonQuery.METRIC
            + " series for " + key + " in the window: is it scraping the proxy pods?");
      }
      Map<String, ComparisonCounts> byEndpoint = new HashMap<>();
      for (PrometheusClient.Sample sample : samples) {
        String endpoint = sample.labels().get(MetricLabels.ENDPOINT);
        String result = sample.labels().get(MetricLabels.RESULT);
        if (endpoint == null || result == null) continue;
        if (!isCount(sample.value())) {
          // +Inf once became matched = Long.MAX_VALUE and a match rate of -100 %: a number that cannot be a
          // count means the answer cannot be trusted at all, so no decision is taken on any endpoint.
          LOG.warn("{} answered {} for {} {}/{}: not a count, no decision", source.describe(), sample.value(), key,
              endpoint, result);
          return ObservedMetrics.unavailable("BadData", BAD_DATA);
        }
        long count = Math.round(sample.value());
        byEndpoint.merge(endpoint, ComparisonCounts.NONE.plus(result, count),
            (a, b) -> new ComparisonCounts(a.matched() + b.matched(), a.unmatched() + b.unmatched(),
                a.failed() + b.failed(), a.skipped() + b.skipped()));
      }
      return ObservedMetrics.available(byEndpoint);
    } catch (PrometheusClient.QueryException e) {
      // The details (the remote side's words included) go to the log only; status gets the fixed phrase.
      LOG.warn("Prometheus query for {} failed: {}", key, e.getMessage());
      return ObservedMetrics.unavailable(e.reason(), e.statusMessage());
    }
  }

  /** One query, its outcome (success, empty, error, timeout) and how long it took counted. */
  private List<PrometheusClient.Sample> timedQuery(PrometheusSource source, String query)
      throws PrometheusClient.QueryException {
    long start = System.nanoTime();
    try {
      List<PrometheusClient.Sample> samples = source.query(query);
      instruments.queried((samples.isEmpty() ? QueryOutcome.empty : QueryOutcome.success).name(),
          Duration.ofNanos(System.nanoTime() - start));
      return samples;
    } catch (PrometheusClient.QueryException e) {
      instruments.queried((e.timedOut() ? QueryOutcome.timeout : QueryOutcome.error).name(),
          Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
  }

  /** Finite, not negative, and small enough that summing a few of them cannot overflow a long. */
  static boolean isCount(double value) {
    return Double.isFinite(value) && value >= 0 && value <= MAX_COUNT;
  }

  /** The Prometheus URL of the run, validated; the field named in errors is where it came from. */
  private static PrometheusUrl prometheusUrl(ParallelRun run, String text) {
    var analysis = run.getSpec().getAnalysis();
    boolean own = analysis != null && analysis.getPrometheus() != null && analysis.getPrometheus().getUrl() != null;
    return PrometheusUrl.parse(text, own ? "spec.analysis.prometheus.url" : "--prometheus-url");
  }

  private Optional<String> prometheusUrlText(ParallelRun run) {
    var analysis = run.getSpec().getAnalysis();
    if (analysis != null && analysis.getPrometheus() != null && analysis.getPrometheus().getUrl() != null) {
      return Optional.of(analysis.getPrometheus().getUrl());
    }
    return defaultPrometheusUrl;
  }
}
