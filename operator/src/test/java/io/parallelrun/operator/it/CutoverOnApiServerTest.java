package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.condition;
import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.ProxySpec;
import io.parallelrun.api.ProxyTuningSpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.decide.CutoverDecider;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.PrometheusProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parallelrun.operator.health.HealthServer;
import io.parallelrun.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The operator in-process against a real kube-apiserver, reading a real Prometheus that scrapes a test exporter
 * whose counters each test controls. Short windows and holds (window 10s, holdFor 2-3s, interval 1s).
 * There is no kubelet: the proxy Deployment is created but runs no pods, which these tests do not need.
 */
@EnableKubeAPIServer
@RealParts
class CutoverOnApiServerTest {
  static KubernetesClient client;
  static ComparisonExporter exporter;
  static PrometheusProcess prometheus;
  static ParallelRunOperator operator;
  static PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  static final ThresholdSpec FAST = new ThresholdSpec(99.0, 20L, "10s", "3s");
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @BeforeAll
  static void startEverything() {
    Cluster.applyCrd(client);
    exporter = new ComparisonExporter();
    // Each run the exporter is given rates for becomes a target labelled as its proxy pod would be.
    prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus);
    operator = Cluster.startOperator(client, prometheus.url(), registry);
  }

  @AfterAll
  static void stopEverything() {
    if (operator != null) operator.close();
    if (prometheus != null) prometheus.close();
    if (exporter != null) exporter.close();
  }

  /** A namespace per test, named after it, so tests never see each other's runs. */
  static String namespace(TestInfo info) {
    return Cluster.namespaceFor(client, info);
  }

  static ParallelRun create(String ns, String name, ParallelRunSpec spec) {
    Manifests.withAnalysis(spec, null, "1s"); // the operator-wide default Prometheus URL
    return client.resource(Manifests.run(ns, name, spec)).create();
  }

  static List<Event> events(String ns, String reason) {
    return Cluster.events(client, ns, reason);
  }

  @Test
  void promotesThroughEveryStepOnlyAfterEachHold(TestInfo info) {
    String ns = namespace(info);
    create(ns, "orders", Manifests.spec(FAST, List.of(25, 50, 100), Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);

    // Record the hold start (readySince) status shows at each weight. A step sets readySince to the time of
    // the step, so consecutive hold starts are the operator's own record of how long each hold lasted; polling
    // times would measure the API server's latency as much as the operator.
    Map<String, String> holdStart = new ConcurrentHashMap<>();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      if (e.getReadySince() != null && e.getWeight() != null) holdStart.putIfAbsent("w" + e.getWeight(), e.getReadySince());
      return e.getState() == EndpointState.CutOver;
    });

    assertThat(holdStart).containsKeys("w0", "w25", "w50", "w100");
    // Each step only after a full 3s hold at the weight before.
    assertThat(secondsBetween(holdStart, "w0", "w25")).isGreaterThanOrEqualTo(3);
    assertThat(secondsBetween(holdStart, "w25", "w50")).isGreaterThanOrEqualTo(3);
    assertThat(secondsBetween(holdStart, "w50", "w100")).isGreaterThanOrEqualTo(3);

    ParallelRun run = Cluster.get(client, ns, "orders");
    assertThat(run.getStatus().getPhase()).isEqualTo(Phase.Completed);
    assertThat(run.getStatus().getCutOver()).isEqualTo("1/1");
    assertThat(run.getStatus().getObservedGeneration()).isEqualTo(run.getMetadata().getGeneration());
    assertThat(run.getStatus().getConditions()).allSatisfy(c ->
        assertThat(c.getObservedGeneration()).isEqualTo(run.getMetadata().getGeneration()));
    assertThat(run.getSpec().getPaused()).as("spec untouched").isNull();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(events(ns, "Promoted")).hasSize(2);
      assertThat(events(ns, "CutOver")).hasSize(1);
    });
  }

  @Test
  void neverFlipsUnderMinSamplesAndNamesEndpointsWithoutTraffic(TestInfo info) {
    String ns = namespace(info);
    create(ns, "orders", Manifests.spec(FAST, List.of(100),
        Manifests.endpoint("rare", HttpMethod.GET, "/rare"),
        Manifests.endpoint("silent", HttpMethod.GET, "/silent")));
    // 1 comparison a second, all matching: at most ~10 in the 10s window, under minSamples 20.
    exporter.rates(ns, "orders", "rare", 1, 0, 0, 0);
    exporter.rates(ns, "orders", "silent", 0, 0, 0, 0);

    await().atMost(TIMEOUT).until(() -> {
      Long samples = endpoint(client, ns, "orders", "rare").getSamples();
      return samples != null && samples > 0;
    });
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var rare = endpoint(client, ns, "orders", "rare");
      assertThat(rare.getWeight()).isZero();
      assertThat(rare.getState()).isEqualTo(EndpointState.Shadowing);
      assertThat(rare.getSamples()).isLessThan(20);
    });
    assertThat(endpoint(client, ns, "orders", "rare").getMessage()).contains("of 20 samples");
    assertThat(condition(client, ns, "orders", CutoverDecider.TRAFFIC_OBSERVED)).isEqualTo("False/NoSamples");
    assertThat(Cluster.get(client, ns, "orders").getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(CutoverDecider.TRAFFIC_OBSERVED)).findFirst().orElseThrow().getMessage())
        .contains("silent").doesNotContain("rare");
  }

  @Test
  void rollsBackAfterCutoverWhenTheMatchRateDrops(TestInfo info) {
    String ns = namespace(info);
    create(ns, "orders", Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "2s"), List.of(100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);

    // Legacy is still compared as the shadow after cutover: a regression shows up and is acted on.
    exporter.rates(ns, "orders", "get-order", 20, 2, 1, 0);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.RolledBack);
      assertThat(e.getWeight()).isZero();
    });
    assertThat(Cluster.get(client, ns, "orders").getStatus().getPhase()).isEqualTo(Phase.Degraded);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      List<Event> rolledBack = events(ns, "RolledBack");
      assertThat(rolledBack).hasSize(1);
      assertThat(rolledBack.get(0).getType()).isEqualTo("Warning");
    });
  }

  @Test
  void withAConfidenceAQuietEndpointIsNotRolledBackForAFewFailuresButIsForMany(TestInfo info) {
    String ns = namespace(info);
    // Promote once the 95% lower bound reaches 95%; roll back once the upper bound falls below 80%.
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(95.0, 10L, "10s", "2s", 95.0), List.of(100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"));
    spec.setRollback(new io.parallelrun.api.RollbackSpec(80.0));
    create(ns, "orders", spec);
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);

    // Quiet and flaky: about 10 matched and 4 failed in the window, a rate near 71%, under 80%; without a
    // confidence that is a rollback. Its upper bound (about 88%) is not under 80%: the endpoint stays.
    exporter.rates(ns, "orders", "get-order", 1, 0, 0.4, 0);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getSamples()).as("samples, at least minSamples").isBetween(10L, 25L);
      assertThat(e.getMatchRate()).as("match rate under rollback.matchRateBelow").isLessThan(80.0);
      assertThat(e.getMatchRateUpper()).as("its upper bound").isGreaterThanOrEqualTo(80.0);
      assertThat(e.getMessage()).contains("not rolled back: its 95% upper bound");
    });
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.CutOver);
      assertThat(e.getWeight()).isEqualTo(100);
    });
    assertThat(events(ns, "RolledBack")).isEmpty();

    // Many failures: about a third matched over some 30 samples, upper bound near 50%: rolled back.
    exporter.rates(ns, "orders", "get-order", 1, 0, 2, 0);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.RolledBack);
      assertThat(e.getMatchRateUpper()).isLessThan(80.0);
    });
    // The status message moves on the next round; the Event keeps why.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events(ns, "RolledBack")).singleElement()
        .satisfies(event -> assertThat(event.getMessage()).contains("below 80%, and so did its 95% upper bound")));
  }

  @Test
  void manualEndpointWaitsForTheApproveAnnotationAndRollbackAnnotationForcesItBack(TestInfo info) {
    String ns = namespace(info);
    create(ns, "orders", Manifests.spec(FAST, List.of(100),
        Manifests.manual(Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"))));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);

    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.AwaitingApproval);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.AwaitingApproval);
      assertThat(e.getWeight()).isZero();
    });

    annotate(ns, "orders", ParallelRun.APPROVE_ANNOTATION, "other,get-order");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.CutOver);
      assertThat(e.getWeight()).isEqualTo(100);
    });

    annotate(ns, "orders", ParallelRun.ROLLBACK_ANNOTATION, "get-order");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getState()).isEqualTo(EndpointState.RolledBack);
      assertThat(e.getWeight()).isZero();
    });
  }

  @Test
  void pauseFreezesEverythingUntilResumed(TestInfo info) {
    String ns = namespace(info);
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "2s"), List.of(100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"));
    spec.setPaused(true);
    create(ns, "orders", spec);
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);

    await().atMost(TIMEOUT).until(() -> {
      var e = endpoint(client, ns, "orders", "get-order");
      return e.getSamples() != null && e.getSamples() >= 20;
    });
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      ParallelRun run = Cluster.get(client, ns, "orders");
      assertThat(run.getStatus().getPhase()).isEqualTo(Phase.Paused);
      assertThat(run.getStatus().getEndpoints().get(0).getWeight()).isZero();
    });
    assertThat(condition(client, ns, "orders", ParallelRunStatus.PROGRESSING)).isEqualTo("False/Paused");

    client.resources(ParallelRun.class).inNamespace(ns).withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"paused\":false}}");
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);
  }

  @Test
  void ownsTheProxyObjectsWithControllerReferences_deletionItselfNeedsTheGarbageCollectorThisApiServerLacks(TestInfo info) {
    String ns = namespace(info);
    ParallelRunSpec spec = Manifests.spec(FAST, List.of(100), Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"));
    ProxySpec proxy = new ProxySpec();
    proxy.setPort(8000);
    proxy.setReplicas(3);
    ProxyTuningSpec tuning = new ProxyTuningSpec();
    tuning.setMaxBodyBytes(4 * 1024 * 1024);
    tuning.setUpstreamTimeout("5m");
    proxy.setTuning(tuning);
    spec.setProxy(proxy);
    ParallelRun run = create(ns, "orders", spec);

    Map<Class<? extends HasMetadata>, HasMetadata> owned = new HashMap<>();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      for (Class<? extends HasMetadata> type : List.of(Deployment.class, Service.class, ServiceAccount.class, Role.class,
          RoleBinding.class, PodDisruptionBudget.class)) {
        HasMetadata object = client.resources(type).inNamespace(ns).withName("orders-proxy").get();
        assertThat(object).as(type.getSimpleName()).isNotNull();
        owned.put(type, object);
      }
    });
    for (HasMetadata object : owned.values()) {
      assertThat(object.getMetadata().getManagedFields()).as("server-side applied")
          .anyMatch(f -> "Apply".equals(f.getOperation()));
      assertThat(object.getMetadata().getLabels()).as(object.getKind())
          .containsEntry("app.kubernetes.io/managed-by", "parallel-run-operator")
          .containsEntry("app.kubernetes.io/instance", "orders");
      if (object instanceof Service) {
        // Handed over or removed by the finalizer, never by the garbage collector (ServiceHandoverOnApiServerTest).
        assertThat(object.getMetadata().getOwnerReferences()).as("Service: not owned").isNullOrEmpty();
        continue;
      }
      assertThat(object.getMetadata().getOwnerReferences()).as(object.getKind()).hasSize(1);
      OwnerReference ref = object.getMetadata().getOwnerReferences().get(0);
      assertThat(ref.getUid()).isEqualTo(run.getMetadata().getUid());
      assertThat(ref.getKind()).isEqualTo("ParallelRun");
      assertThat(ref.getApiVersion()).isEqualTo("parallelrun.io/v1alpha1");
      assertThat(ref.getController()).as(object.getKind() + " controller").isTrue();
      assertThat(ref.getBlockOwnerDeletion()).as(object.getKind() + " blockOwnerDeletion").isTrue();
    }

    Deployment deployment = (Deployment) owned.get(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    var pod = deployment.getSpec().getTemplate();
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "9901").containsEntry("prometheus.io/path", "/metrics");
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("orders-proxy");
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(Cluster.TEST_PROXY_IMAGE);
    assertThat(container.getArgs()).containsExactly("--listen=0.0.0.0:8000", "--admin=0.0.0.0:9901",
        "--max-body-bytes=4194304", "--upstream-timeout=5m");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PARALLELRUN_NAME");
      assertThat(e.getValue()).isEqualTo("orders");
    });
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PARALLELRUN_NAMESPACE");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactlyInAnyOrder("http:8000", "admin:9901");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    var security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(65532L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    // Default resources (spec.proxy.resources unset), and a heap sized from the memory limit.
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
      assertThat(e.getValue()).contains("-XX:MaxRAMPercentage=");
    });

    Service service = (Service) owned.get(Service.class);
    // Client traffic only: /metrics and /mismatches stay on the pods' admin port, which Prometheus scrapes directly.
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("http:8000->http");
    assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    Role role = (Role) owned.get(Role.class);
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("parallelrun.io");
      assertThat(rule.getResources()).containsExactly("parallelruns");
      assertThat(rule.getResourceNames()).containsExactly("orders");
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    });
    RoleBinding binding = (RoleBinding) owned.get(RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo("orders-proxy");
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("orders-proxy");
      assertThat(s.getNamespace()).isEqualTo(ns);
    });

    PodDisruptionBudget budget = (PodDisruptionBudget) owned.get(PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    // A spec change is applied to the owned objects; resources given in spec replace the defaults.
    // A merge patch carries no resourceVersion, so it cannot conflict with the operator's own status writes
    // (edit() read, changed and wrote back, and failed with 409 when a status patch came in between).
    client.resources(ParallelRun.class).inNamespace(ns).withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"proxy\":{\"replicas\":1,\"resources\":{\"requests\":{\"memory\":\"2Gi\"},\"limits\":{\"memory\":\"2Gi\"}}}}}");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Deployment changed = client.apps().deployments().inNamespace(ns).withName("orders-proxy").get();
      assertThat(changed.getSpec().getReplicas()).isEqualTo(1);
      assertThat(changed.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
          .containsEntry("memory", new Quantity("2Gi")).doesNotContainKey("cpu");
    });
  }

  @Test
  void servesLivenessReadinessAndItsOwnMetrics() throws Exception {
    try (HealthServer health = new HealthServer(0, operator.operator().getRuntimeInfo(), operator::isLeading, registry).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + health.port();
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      // Some reconciliation has happened by now in this class (tests share the operator); wait for one anyway.
      String ns = "metrics";
      Cluster.createNamespace(client, ns);
      create(ns, "orders", Manifests.spec(FAST, List.of(100), Manifests.endpoint("get-order", HttpMethod.GET, "/o")));
      await().atMost(TIMEOUT).untilAsserted(() -> {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("parallelrun_prometheus_queries_seconds_count").contains("operator_sdk_");
      });
    }
  }

  static void annotate(String ns, String name, String key, String value) {
    // A merge patch, as `kubectl annotate` sends: no resourceVersion, so no conflict with the operator's writes.
    client.resources(ParallelRun.class).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
        io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }

  /**
   * Deleting a run keeps the Service its clients call: the operator points it at legacy's pods (the run is not
   * Completed) and releases it. A url: backend has no pods to point at: the operator removes the Service with the
   * run, and a Warning Event says so.
   */
  @Test
  void deletingARunHandsItsServiceOverToLegacyInsteadOfCuttingClientsOff(TestInfo info) {
    String ns = namespace(info);
    client.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("legacy")
        .withNamespace(ns).endMetadata().withNewSpec().withSelector(Map.of("app", "order-monolith"))
        .addNewPort().withName("http").withPort(8080).withNewTargetPort("web").endPort().endSpec().build()).create();
    create(ns, "orders", Manifests.spec(FAST, List.of(100), Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    create(ns, "by-url", Manifests.with(Manifests.spec(FAST, List.of(100),
            Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")),
        spec -> spec.setLegacy(new io.parallelrun.api.BackendSpec(null, "http://legacy.example:8080"))));
    for (String run : List.of("orders", "by-url")) {
      await().atMost(TIMEOUT).until(() -> client.services().inNamespace(ns).withName(run + "-proxy").get() != null);
      assertThat(Cluster.get(client, ns, run).getMetadata().getFinalizers()).as("held until its Service is handed over")
          .isNotEmpty();
      ParallelRun live = Cluster.get(client, ns, run);
      await().atMost(TIMEOUT).until(() -> operator.runStates().holds(live));
      client.resources(ParallelRun.class).inNamespace(ns).withName(run).delete();
      await().atMost(TIMEOUT).until(() -> Cluster.get(client, ns, run) == null);
      assertThat(operator.runStates().holds(live)).as("what the operator kept for the run goes with it").isFalse();
    }

    Service kept = client.services().inNamespace(ns).withName("orders-proxy").get();
    assertThat(kept.getMetadata().getOwnerReferences()).as("released: the garbage collector leaves it").isEmpty();
    assertThat(kept.getSpec().getSelector()).isEqualTo(Map.of("app", "order-monolith"));
    assertThat(kept.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).as("the port clients call is unchanged").isEqualTo(8080);
      assertThat(p.getTargetPort().getStrVal()).as("legacy's pods' port").isEqualTo("web");
    });
    assertThat(kept.getMetadata().getAnnotations()).containsEntry("parallelrun.io/handed-over-to", "service/legacy");

    assertThat(client.services().inNamespace(ns).withName("by-url-proxy").get())
        .as("not owned, so removed by the operator: it goes with its run").isNull();
    List<Event> events = client.v1().events().inNamespace(ns).list().getItems();
    assertThat(events).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("ServiceHandedOver");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("orders");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("ServiceRemoved");
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("url: backend");
    });
  }

  static long secondsBetween(Map<String, String> times, String from, String to) {
    return Duration.between(Instant.parse(times.get(from)), Instant.parse(times.get(to))).toSeconds();
  }

}
