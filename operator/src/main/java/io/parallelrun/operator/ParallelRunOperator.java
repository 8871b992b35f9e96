package io.parallelrun.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.operator.act.EventRecorder;
import io.parallelrun.operator.dependent.ProxyServiceHandover;
import io.parallelrun.operator.act.StatusMetrics;
import io.parallelrun.operator.decide.CutoverDecider;
import io.parallelrun.operator.observe.MetricsObserver;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.dependent.ProxyApplyTracker;
import io.parallelrun.operator.dependent.ProxyDependentResourceFactory;
import io.parallelrun.operator.state.RunStates;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;

/**
 * Wires the control plane: JOSDK operator, reconciler and its collaborators. Used by {@link OperatorMain} and
 * by the integration tests, which run it in-process against a real API server.
 */
public final class ParallelRunOperator implements AutoCloseable {
  private final Operator operator;
  private final AtomicBoolean leading;
  private final RunStates runStates;

  private ParallelRunOperator(Operator operator, AtomicBoolean leading, RunStates runStates) {
    this.operator = operator;
    this.leading = leading;
    this.runStates = runStates;
  }

  public static ParallelRunOperator create(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
      Clock clock) {
    // Without leader election this process always reconciles; with it, only while it holds the Lease.
    AtomicBoolean leading = new AtomicBoolean(!settings.leaderElection());
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // The caller owns the client (tests share theirs); OperatorMain closes its own.
          .withCloseClientOnStop(false)
          // Per-resource metrics would add series for each of hundreds of ParallelRuns; the aggregate is enough.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withDependentResourceFactory(new ProxyDependentResourceFactory(settings.proxyImage()));
      if (settings.leaderElection()) {
        // A null namespace means the operator pod's own. Losing the Lease exits the process (JOSDK's
        // exitOnStopLeading), so a former leader never keeps reconciling next to the new one.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME,
            settings.leaderElectionNamespace().orElse(null),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
            null,
            new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), leader -> {}),
            true));
      }
    });

    MetricsObserver.Instruments instruments = new MetricsObserver.Instruments() {
      @Override
      public void queried(String outcome, Duration took) {
        Timer.builder(Metric.PROMETHEUS_QUERIES.meterName())
            .description("Prometheus queries made to read comparison counters, by outcome")
            .tag(MetricLabels.OUTCOME, outcome)
            .publishPercentiles(0.5, 0.99)
            .register(registry)
            .record(took);
      }

      @Override
      public void analysisDelay(Duration late) {
        Timer.builder(Metric.ANALYSIS_DELAY.meterName())
            .description("How late an analysis started after its interval fired")
            .publishPercentiles(0.5, 0.99)
            .register(registry)
            .record(late);
      }
    };
    RunStates runStates = new RunStates();
    var reconciler = new ParallelRunReconciler(
        new MetricsObserver(new PrometheusClient(settings.prometheusTimeout(), settings.prometheusMaxAnswerBytes()),
            settings.prometheusUrl(), settings.analysisProviders(), instruments, runStates),
        new CutoverDecider(),
        new EventRecorder(client, clock),
        new StatusMetrics(registry),
        clock,
        settings.policy(),
        new ProxyServiceHandover(client),
        new ProxyApplyTracker(runStates),
        runStates);
    operator.register(reconciler, config -> {
      if (!settings.watchAllNamespaces()) config.settingNamespaces(settings.namespaces());
    });
    return new ParallelRunOperator(operator, leading, runStates);
  }

  public ParallelRunOperator start() {
    operator.start();
    return this;
  }

  /** True while this process reconciles: always without leader election, else while it holds the Lease. */
  public boolean isLeading() {
    return leading.get();
  }

  public Operator operator() {
    return operator;
  }

  /** What this process keeps per ParallelRun between reconciliations. */
  public RunStates runStates() {
    return runStates;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
