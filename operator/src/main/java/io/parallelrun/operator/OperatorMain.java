package io.parallelrun.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parallelrun.operator.health.HealthServer;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar parallel-run-operator.jar [flags]}: connects with KUBECONFIG (or ~/.kube/config, or the
 * in-cluster service account), serves health and metrics, and reconciles ParallelRuns until stopped.
 * See {@link OperatorSettings} for the flags.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private static final int MAX_CONCURRENT_REQUESTS = 512;

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(OperatorSettings.USAGE);
      return;
    }
    if (Arrays.asList(args).contains("--version")) {
      System.out.println("parallel-run-operator " + version());
      return;
    }
    OperatorSettings settings;
    try {
      settings = OperatorSettings.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n(--help lists every flag)");
      System.exit(2);
      return;
    }
    LOG.info("starting with {}", settings);
    try {
      run(settings);
    } catch (Exception e) {
      // Logged, so that a failed start is one structured log line like every other, then a non-zero exit.
      LOG.error("operator failed: {}", e.toString(), e);
      System.exit(1);
    }
  }

  /** The jar's Implementation-Version (the Maven project version). */
  static String version() {
    String version = OperatorMain.class.getPackage().getImplementationVersion();
    return version != null ? version : "(unpackaged build)";
  }

  /**
   * KUBECONFIG, ~/.kube/config or in-cluster, as fabric8 finds it, but with JOSDK's limit of concurrent requests:
   * fabric8's own default of 5 per host made status patches queue for ~20s at 500 ParallelRuns.
   */
  static KubernetesClient kubernetesClient() {
    Config config = new ConfigBuilder(Config.autoConfigure(null))
        .withMaxConcurrentRequests(MAX_CONCURRENT_REQUESTS)
        .withMaxConcurrentRequestsPerHost(MAX_CONCURRENT_REQUESTS)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void run(OperatorSettings settings) throws Exception {

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Median and p99 for every timer, JOSDK's reconcile timings included.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getType() == Meter.Type.TIMER
            ? DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build().merge(config) : config;
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    KubernetesClient client = kubernetesClient();
    ParallelRunOperator operator = ParallelRunOperator.create(client, settings, registry, Clock.systemUTC());
    HealthServer health = new HealthServer(settings.healthPort(), operator.operator().getRuntimeInfo(),
        operator::isLeading, registry).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      operator.close();
      health.close();
      client.close();
    }, "shutdown"));
    operator.start();
    LOG.info("started; health and metrics on port {}", health.port());
    Thread.currentThread().join();
  }

}
