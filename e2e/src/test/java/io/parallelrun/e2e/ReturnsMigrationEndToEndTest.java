package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.examples.ReturnsTraffic;
import io.parallelrun.testing.Helm;
import io.parallelrun.testing.JavaProcess;
import io.parallelrun.testing.Kubectl;
import io.parallelrun.testing.Ports;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RepoFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole product on real parts: a real kube-apiserver, the operator process running with exactly the Helm
 * chart's ClusterRole (impersonating its service account), the proxy process configured from the Deployment the
 * operator created (with its own Role, impersonating its service account), a real Prometheus scraping both, the
 * sample legacy and candidate apps, and client traffic throughout. Along the way the candidate is stopped for a
 * while, Prometheus is stopped for a while and the operator is restarted mid-cutover; clients must never see an
 * error that legacy alone would not have produced.
 */
@EnableKubeAPIServer
class ReturnsMigrationEndToEndTest {
  static final String NAMESPACE = "shop";
  static final String OPERATOR_NAMESPACE = "parallel-run-system";
  static final String RUN = "returns-demo";
  static final Path SAMPLE_APP = RepoFiles.root().resolve("examples/sample-apps/target/sample-returns-app.jar");
  static final Path OPERATOR_JAR = RepoFiles.root().resolve("operator/target/parallel-run-operator.jar");
  static final List<String> CORRECT = List.of("list-returns", "get-return", "return-label", "refund-status");

  static KubernetesClient client;
  @KubeConfig
  static String kubeconfig;

  static Kubectl kubectl;
  static JavaProcess legacy;
  static JavaProcess candidate;
  static JavaProcess operator;
  static JavaProcess proxy;
  static PrometheusProcess prometheus;
  static ReturnsTraffic traffic;
  static int proxyPort;
  static Path kubeconfigFile;
  static final Impersonation OPERATOR_ACCOUNT = new Impersonation(OPERATOR_NAMESPACE, "parallel-run-parallel-run-operator");
  static Impersonation proxyAccount;
  static final List<Integer> refundWeights = new CopyOnWriteArrayList<>();
  static final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void startEverything() throws Exception {
    kubectl = new Kubectl(kubeconfig);
    kubectl.run("apply", "--server-side", "-f", RepoFiles.crd().toString()).assertSuccess();
    kubectl.run("create", "namespace", NAMESPACE).assertSuccess();
    kubectl.run("create", "namespace", OPERATOR_NAMESPACE).assertSuccess();

    // The operator gets exactly the chart's RBAC: render it, apply the ServiceAccount, ClusterRole and binding.
    Path rbac = Files.createTempFile("chart-rbac", ".yaml");
    Files.writeString(rbac, new Helm().run("template", "parallel-run", Helm.CHART.toString(), "--namespace",
        OPERATOR_NAMESPACE, "--show-only", "templates/serviceaccount.yaml", "--show-only", "templates/clusterrole.yaml")
        .assertSuccess().output());
    kubectl.run("apply", "-f", rbac.toString()).assertSuccess();

    int legacyPort = Ports.free();
    int candidatePort = Ports.free();
    legacy = new JavaProcess("legacy", SAMPLE_APP, List.of("--flavor", "legacy", "--listen", "127.0.0.1:" + legacyPort), Map.of()).start();
    candidate = new JavaProcess("candidate", SAMPLE_APP, List.of("--flavor", "candidate", "--listen", "127.0.0.1:" + candidatePort), Map.of()).start();
    awaitHttpOk("http://127.0.0.1:" + legacyPort + "/api/return-reasons/all");
    awaitHttpOk("http://127.0.0.1:" + candidatePort + "/api/return-reasons/all");

    proxyPort = Ports.free();
    int proxyAdminPort = Ports.free();
    int operatorHealthPort = Ports.free();
    // The proxy process stands in for a pod of the returns-demo-proxy Deployment: Prometheus attaches namespace and
    // pod to it as kubernetes_sd would, and the operator reads only series so attributed.
    prometheus = PrometheusProcess.startWith(List.of(
        PrometheusProcess.Target.pod("127.0.0.1:" + proxyAdminPort, "/metrics", NAMESPACE, RUN + "-proxy-6d5f8b9c7-x2k4p"),
        PrometheusProcess.Target.of("127.0.0.1:" + operatorHealthPort)), Duration.ofSeconds(1));

    kubeconfigFile = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfigFile, kubeconfig);
    Map<String, String> operatorEnv = new HashMap<>(OPERATOR_ACCOUNT.environment());
    operatorEnv.put("KUBECONFIG", kubeconfigFile.toString());
    operator = new JavaProcess("operator", OPERATOR_JAR, List.of("--prometheus-url=" + prometheus.url(),
        "--health-port=" + operatorHealthPort, "--proxy-image=local/parallel-run-proxy:e2e"), operatorEnv).start();
    awaitHttpOk("http://127.0.0.1:" + operatorHealthPort + "/readyz");

    String manifest = RepoFiles.read(RepoFiles.root().resolve("examples/returns-demo.yaml"))
        .replace("port: 18081", "port: " + legacyPort).replace("port: 18082", "port: " + candidatePort);
    Path manifestFile = Files.createTempFile("returns-demo", ".yaml");
    Files.writeString(manifestFile, manifest);
    kubectl.run("apply", "-n", NAMESPACE, "-f", manifestFile.toString()).assertSuccess();

    Deployment deployment = await().atMost(Duration.ofSeconds(60)).until(
        () -> client.apps().deployments().inNamespace(NAMESPACE).withName(RUN + "-proxy").get(), d -> d != null);
    proxyAccount = new Impersonation(NAMESPACE, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
    proxy = ProxyFromDeployment.launch(deployment, proxyPort, proxyAdminPort, kubeconfigFile, proxyAccount).start();
    awaitHttpOk("http://127.0.0.1:" + proxyAdminPort + "/readyz");

    traffic = new ReturnsTraffic("http://127.0.0.1:" + proxyPort, 4, Duration.ofMillis(20));
    watcher.scheduleAtFixedRate(ReturnsMigrationEndToEndTest::recordRefundWeight, 0, 200, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    watcher.shutdownNow();
    if (traffic != null) traffic.close();
    for (AutoCloseable c : new AutoCloseable[] {proxy, operator, candidate, legacy, prometheus}) {
      if (c != null) c.close();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void correctEndpointsAreCutOverAndTheBuggyOneIsNot() throws Exception {
    // 1. The candidate goes away for a while before anything is cut over: clients must not notice.
    await().atMost(Duration.ofSeconds(60)).until(() -> traffic.okCount() > 200);
    candidate.stop();
    long okAtStop = traffic.okCount();
    await().atMost(Duration.ofSeconds(30)).until(() -> traffic.okCount() > okAtStop + 200);
    candidate.start();

    // 2. The stepped endpoint reaches its first step; then Prometheus goes away: nothing may move meanwhile.
    await().atMost(Duration.ofMinutes(2)).until(() -> weight("refund-status") >= 10);
    prometheus.stop();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(condition(ParallelRunStatus.METRICS_AVAILABLE)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False")));
    Map<String, Integer> frozen = weights();
    await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12))
        .until(() -> weights().equals(frozen)); // frozen while metrics are missing
    prometheus.startAgain();

    // 3. The operator is restarted mid-cutover; it must resume from status without repeating or skipping a step.
    await().atMost(Duration.ofMinutes(2)).until(() -> weight("refund-status") >= 50 || CORRECT.stream().anyMatch(e -> weight(e) == 100));
    operator.stop();
    operator.start();

    // 4. The story ends: every correct endpoint cut over, the buggy one still on legacy.
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      for (String endpoint : CORRECT) {
        assertThat(endpoint(endpoint)).as(endpoint).hasValueSatisfying(e -> {
          assertThat(e.getState()).isEqualTo(EndpointState.CutOver);
          assertThat(e.getWeight()).isEqualTo(100);
        });
      }
    });
    assertThat(endpoint("return-reasons")).hasValueSatisfying(e -> {
      assertThat(e.getWeight()).as("the buggy endpoint stays on legacy").isZero();
      assertThat(e.getMatchRate()).isLessThan(99.0);
    });
    assertThat(endpoint("create-return")).hasValueSatisfying(e -> {
      assertThat(e.getState()).as("a write is never mirrored, so it waits for approval").isEqualTo(EndpointState.NotMirrored);
      assertThat(e.getWeight()).isZero();
    });
    // The watcher polls every 200 ms; the check above may have seen 100 before the watcher's next poll did.
    await().atMost(Duration.ofSeconds(10)).until(() -> refundWeights.get(refundWeights.size() - 1) == 100);
    assertThat(refundWeights.stream().distinct().toList()).as("refund-status went through every step, in order, once")
        .containsExactly(0, 10, 50, 100);
    assertThat(kubectl.run("get", "prun", "-n", NAMESPACE).assertSuccess().output()).contains(RUN, "4/6");

    // 5. Approving the write moves it, and only it, by annotation (GitOps keeps owning spec).
    kubectl.run("annotate", "-n", NAMESPACE, "prun", RUN, ParallelRun.APPROVE_ANNOTATION + "=create-return").assertSuccess();
    await().atMost(Duration.ofSeconds(60)).until(() -> weight("create-return") == 100);
    assertThat(weight("return-reasons")).isZero();

    assertThat(traffic.errorCount()).as("client errors that legacy alone would not have produced: %s", traffic.summary()).isZero();
    assertThat(traffic.okCount()).isGreaterThan(1000);

    // 6. Every series the chart's dashboard and alerts read exists in this Prometheus, fed by the real proxy and
    //    operator: the names in charts/ cannot drift from what the code exports.
    for (String metric : MonitoringQueriesTest.metricNamesUsedByTheChart()) {
      if (metric.equals("parallelrun_rollbacks_total")) continue; // appears with the first rollback; none here
      assertThat(prometheusSeries(metric)).as("series of %s in Prometheus", metric).isPositive();
    }
  }

  static int prometheusSeries(String metric) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        prometheus.url() + "/api/v1/query?query=" + java.net.URLEncoder.encode("count(" + metric + ")",
            java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    return MonitoringQueriesTest.JSON.readTree(response.body()).path("data").path("result").size();
  }

  @Test
  void operatorAndProxyRunWithNoMoreThanTheirRoles() throws Exception {
    try (KubernetesClient asOperator = OPERATOR_ACCOUNT.client(kubeconfig); KubernetesClient asProxy = proxyAccount.client(kubeconfig)) {
      assertThat(asOperator.resources(ParallelRun.class).inAnyNamespace().list().getItems()).isNotEmpty();
      assertThatThrownBy(() -> asOperator.secrets().inNamespace(NAMESPACE).list())
          .as("the chart's ClusterRole grants no secrets").hasMessageContaining("Forbidden");

      assertThat(asProxy.resources(ParallelRun.class).inNamespace(NAMESPACE).withName(RUN).get()).isNotNull();
      assertThatThrownBy(() -> asProxy.resources(ParallelRun.class).inNamespace(NAMESPACE).list())
          .as("the proxy may read only its own ParallelRun").hasMessageContaining("Forbidden");
      assertThatThrownBy(() -> asProxy.apps().deployments().inNamespace(NAMESPACE).list())
          .hasMessageContaining("Forbidden");
    }
  }

  private static void recordRefundWeight() {
    try {
      int w = weight("refund-status");
      if (refundWeights.isEmpty() || refundWeights.get(refundWeights.size() - 1) != w) refundWeights.add(w);
    } catch (RuntimeException ignored) {
      // the API server is there for the whole test; a missed poll is not a finding
    }
  }

  static ParallelRun run() {
    return client.resources(ParallelRun.class).inNamespace(NAMESPACE).withName(RUN).get();
  }

  static Optional<EndpointStatus> endpoint(String name) {
    ParallelRun run = run();
    if (run == null || run.getStatus() == null) return Optional.empty();
    return run.getStatus().getEndpoints().stream().filter(e -> e.getName().equals(name)).findFirst();
  }

  static int weight(String name) {
    return endpoint(name).map(EndpointStatus::getWeight).orElse(0);
  }

  static Map<String, Integer> weights() {
    Map<String, Integer> weights = new java.util.TreeMap<>();
    run().getStatus().getEndpoints().forEach(e -> weights.put(e.getName(), e.getWeight()));
    return weights;
  }

  static Optional<Condition> condition(String type) {
    ParallelRun run = run();
    if (run == null || run.getStatus() == null) return Optional.empty();
    return run.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  static void awaitHttpOk(String url) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }
}
