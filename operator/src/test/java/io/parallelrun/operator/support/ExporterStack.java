package io.parallelrun.operator.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.testing.PrometheusProcess;
import java.time.Duration;
import java.util.List;

/**
 * The operator on a real API server reading a real Prometheus that scrapes a {@link ComparisonExporter} every second:
 * what a test needs that makes up the proxies' series. Closes in reverse order of start.
 */
public record ExporterStack(ComparisonExporter exporter, PrometheusProcess prometheus, ParallelRunOperator operator)
    implements AutoCloseable {

  public static ExporterStack start(KubernetesClient client) {
    Cluster.applyCrd(client);
    ComparisonExporter exporter = new ComparisonExporter();
    PrometheusProcess prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus);
    return new ExporterStack(exporter, prometheus,
        Cluster.startOperator(client, prometheus.url(), new SimpleMeterRegistry()));
  }

  @Override
  public void close() {
    operator.close();
    prometheus.close();
    exporter.close();
  }
}
