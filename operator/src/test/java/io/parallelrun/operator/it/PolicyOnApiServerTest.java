package io.parallelrun.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.ProxySpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.RealParts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's policy on a real kube-apiserver, with the operator's default settings: only its own proxy
 * image, and never a link-local or cloud-metadata address. A run that breaks the policy gets no proxy and says
 * why in its Ready condition and an Event. Each test also creates an allowed run next to the refused one, so
 * "no Deployment" means "refused", not "not reconciled yet".
 */
@EnableKubeAPIServer
@RealParts
class PolicyOnApiServerTest {
  static KubernetesClient client;
  static ParallelRunOperator operator;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final ThresholdSpec THRESHOLD = new ThresholdSpec(99.0, 20L, "10s", "3s");

  @BeforeAll
  static void start() {
    Cluster.applyCrd(client);
    // No Prometheus: nothing here gets as far as an analysis worth reading.
    operator = Cluster.startOperator(client, null);
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
  }

  static ParallelRunSpec spec() {
    return Manifests.spec(THRESHOLD, List.of(100), Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"));
  }

  static void create(String ns, String name, ParallelRunSpec spec) {
    client.resource(Manifests.run(ns, name, spec)).create();
  }

  static Deployment deployment(String ns, String run) {
    return client.apps().deployments().inNamespace(ns).withName(run + "-proxy").get();
  }

  static Condition ready(String ns, String name) {
    ParallelRun run = Cluster.get(client, ns, name);
    if (run == null || run.getStatus() == null || run.getStatus().getConditions() == null) return null;
    return run.getStatus().getConditions().stream().filter(c -> ParallelRunStatus.READY.equals(c.getType()))
        .findFirst().orElse(null);
  }

  static List<Event> events(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  /** Waits for the refusal in status, then checks the allowed twin was deployed and the refused run was not. */
  static Condition awaitRefused(String ns, String refused, String allowed, String reason) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Condition ready = ready(ns, refused);
      assertThat(ready).as("Ready condition of " + refused).isNotNull();
      assertThat(ready.getStatus() + "/" + ready.getReason()).isEqualTo("False/" + reason);
    });
    await().atMost(TIMEOUT).until(() -> deployment(ns, allowed) != null);
    assertThat(deployment(ns, refused)).as("no proxy for the refused run").isNull();
    return ready(ns, refused);
  }

  @Test
  void aProxyImageTheOperatorDoesNotAllowIsNotDeployed() {
    String ns = "image-not-allowed";
    Cluster.createNamespace(client, ns);
    ParallelRunSpec evil = spec();
    ProxySpec proxy = new ProxySpec();
    proxy.setImage("evil.example/cryptominer:latest");
    evil.setProxy(proxy);
    create(ns, "evil", evil);
    ParallelRunSpec own = spec();
    ProxySpec ownProxy = new ProxySpec();
    ownProxy.setImage(Cluster.TEST_PROXY_IMAGE); // naming the operator's own image is fine
    own.setProxy(ownProxy);
    create(ns, "own", own);

    Condition ready = awaitRefused(ns, "evil", "own", "ImageNotAllowed");
    assertThat(ready.getMessage()).contains("spec.proxy.image", "evil.example/cryptominer:latest");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(ns, "ImageNotAllowed"))
        .singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("evil");
          assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.proxy.image");
          assertThat(e.getMessage()).contains("spec.proxy.image");
        }));
  }

  @Test
  void aBackendAtTheCloudMetadataAddressIsNotDeployed() {
    String ns = "backend-not-allowed";
    Cluster.createNamespace(client, ns);
    ParallelRunSpec metadata = spec();
    metadata.setCandidate(new BackendSpec(null, "http://169.254.169.254/latest/meta-data/"));
    create(ns, "metadata", metadata);
    ParallelRunSpec external = spec();
    external.setCandidate(new BackendSpec(null, "https://candidate.example.com:8443"));
    create(ns, "external", external);

    Condition ready = awaitRefused(ns, "metadata", "external", "BackendNotAllowed");
    assertThat(ready.getMessage()).contains("spec.candidate.url", "169.254.169.254", "169.254.0.0/16");
    assertThat(events(ns, "BackendNotAllowed")).isNotEmpty();
  }

  @Test
  void aPrometheusUrlAtTheCloudMetadataHostIsNotQueried() {
    String ns = "prometheus-not-allowed";
    Cluster.createNamespace(client, ns);
    create(ns, "metadata", Manifests.withAnalysis(spec(), "http://metadata.google.internal/computeMetadata/v1", "1s"));
    // Allowed: a refused connection on loopback (nothing may leave this machine).
    create(ns, "external", Manifests.withAnalysis(spec(), "http://127.0.0.1:9", "1s"));

    Condition ready = awaitRefused(ns, "metadata", "external", "PrometheusUrlNotAllowed");
    assertThat(ready.getMessage()).contains("spec.analysis.prometheus.url", "metadata.google.internal");
    assertThat(Cluster.condition(client, ns, "metadata", ParallelRunStatus.METRICS_AVAILABLE))
        .isEqualTo("False/PolicyViolation");
  }

  @Test
  void aDeployedRunEditedToBreakThePolicyLosesItsProxy() {
    String ns = "edited-to-break-policy";
    Cluster.createNamespace(client, ns);
    create(ns, "orders", spec());
    await().atMost(TIMEOUT).until(() -> deployment(ns, "orders") != null);

    // The proxy follows its ParallelRun's spec itself, so leaving it running would relay the new backend.
    // Merge patches carry no resourceVersion: the operator's own writes (status, its finalizer) cannot conflict.
    client.resources(ParallelRun.class).inNamespace(ns).withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"legacy\":{\"service\":null,\"url\":\"http://[fd00:ec2::254]/latest/meta-data/\"}}}");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(deployment(ns, "orders")).as("proxy removed").isNull();
      Condition ready = ready(ns, "orders");
      assertThat(ready.getReason()).isEqualTo("BackendNotAllowed");
      assertThat(ready.getMessage()).contains("spec.legacy.url");
    });

    client.resources(ParallelRun.class).inNamespace(ns).withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"legacy\":{\"service\":null,\"url\":\"https://legacy.example.com\"}}}");
    await().atMost(TIMEOUT).until(() -> deployment(ns, "orders") != null);
  }
}
