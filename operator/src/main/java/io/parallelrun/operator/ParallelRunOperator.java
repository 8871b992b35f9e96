package io.parallelrun.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parallelrun.operator.act.EventRecorder;
import io.parallelrun.operator.decide.CutoverDecider;
import io.parallelrun.operator.observe.MetricsObserver;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.proxy.ProxyDependentResourceFactory;
import java.time.Clock;

/**
 * Wires the control plane: JOSDK operator, reconciler and its collaborators. Used by {@link OperatorMain} and
 * by the integration tests, which run it in-process against a real API server.
 */
public final class ParallelRunOperator implements AutoCloseable {
  private final Operator operator;

  private ParallelRunOperator(Operator operator) {
    this.operator = operator;
  }

  public static ParallelRunOperator create(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
      Clock clock) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // The caller owns the client (tests share theirs); OperatorMain closes its own.
          .withCloseClientOnStop(false)
          // Per-resource metrics would add series for each of hundreds of ParallelRuns; the aggregate is enough.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withDependentResourceFactory(new ProxyDependentResourceFactory(settings.proxyImage()));
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(settings.leaderElectionNamespace()
            .map(ns -> new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, ns))
            .orElseGet(() -> new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME)));
      }
    });

    MetricsObserver.QueryCounter queries = (outcome, took) -> Timer.builder("parallelrun.prometheus.queries")
        .description("Prometheus queries made to read comparison counters, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
    var reconciler = new ParallelRunReconciler(
        new MetricsObserver(new PrometheusClient(settings.prometheusTimeout()), settings.prometheusUrl(), queries),
        new CutoverDecider(),
        new EventRecorder(client, clock),
        clock);
    operator.register(reconciler, config -> {
      if (!settings.watchAllNamespaces()) config.settingNamespaces(settings.namespaces());
    });
    return new ParallelRunOperator(operator);
  }

  public ParallelRunOperator start() {
    operator.start();
    return this;
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
