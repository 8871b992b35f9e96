package io.parallelrun.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.RealParts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A foreground deletion (Argo CD's default prune, {@code kubectl delete --cascade=foreground}) makes the garbage
 * collector delete every object that names the run as its owner, at the same time as the operator's finalizer
 * runs. The bare API server has no garbage collector, so this test plays its part, in the order that used to
 * cut clients off: the operator is not running when the run is deleted, the collector deletes the run's
 * dependents, then the operator starts and runs its finalizer.
 */
@EnableKubeAPIServer
@RealParts
class ServiceHandoverOnApiServerTest {
  static KubernetesClient client;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String FOREGROUND = "foregroundDeletion";
  static final List<Class<? extends HasMetadata>> PROXY_KINDS = List.of(Deployment.class, Service.class,
      ServiceAccount.class, Role.class, RoleBinding.class, PodDisruptionBudget.class);

  ParallelRunOperator operator;

  @BeforeAll
  static void installCrd() {
    Cluster.applyCrd(client);
  }

  @AfterEach
  void stop() {
    if (operator != null) operator.close();
  }

  static ParallelRunSpec spec() {
    // No Prometheus: these tests are about the proxy objects, not the analysis.
    return Manifests.withAnalysis(Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")), null, "1s");
  }

  static void legacyService(String ns) {
    client.resource(new ServiceBuilder().withNewMetadata().withName("legacy").withNamespace(ns).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "order-monolith"))
        .addNewPort().withName("http").withPort(8080).withNewTargetPort("web").endPort().endSpec().build()).create();
  }

  /** The run, once the operator has applied its proxy objects; the operator is stopped again. */
  ParallelRun runWithItsProxy(String ns, ParallelRunSpec spec) {
    ParallelRun run = client.resource(Manifests.run(ns, "orders", spec)).create();
    operator = Cluster.startOperator(client, null);
    await().atMost(TIMEOUT).until(() -> client.services().inNamespace(ns).withName("orders-proxy").get() != null
        && client.apps().deployments().inNamespace(ns).withName("orders-proxy").get() != null
        && !Cluster.get(client, ns, "orders").getMetadata().getFinalizers().isEmpty());
    operator.close();
    operator = null;
    return client.resource(run).get();
  }

  /** What the garbage collector does first in a foreground deletion: delete everything the run owns. */
  static void collectDependents(String ns, ParallelRun run) {
    for (Class<? extends HasMetadata> kind : PROXY_KINDS) {
      client.resources(kind).inNamespace(ns).list().getItems().stream()
          .filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
              .anyMatch(ref -> run.getMetadata().getUid().equals(ref.getUid())))
          .forEach(o -> client.resource(o).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }
  }

  /** Deletes the run as Argo CD prunes it, lets the "collector" act, starts the operator, waits for the run to go. */
  void deleteInTheForeground(String ns, ParallelRun run) {
    client.resources(ParallelRun.class).inNamespace(ns).withName("orders")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    await().atMost(TIMEOUT).until(() -> Cluster.get(client, ns, "orders").getMetadata().getFinalizers()
        .contains(FOREGROUND));
    collectDependents(ns, run);
    operator = Cluster.startOperator(client, null);
    // The operator's finalizer goes once it has handed the Service over (or removed it).
    await().atMost(TIMEOUT).until(() -> Cluster.get(client, ns, "orders").getMetadata().getFinalizers()
        .equals(List.of(FOREGROUND)));
    // The collector's last step: its dependents are gone, so the run goes.
    client.resources(ParallelRun.class).inNamespace(ns).withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"finalizers\":null}}");
    await().atMost(TIMEOUT).until(() -> Cluster.get(client, ns, "orders") == null);
  }

  @Test
  void aForegroundDeletionKeepsTheServiceAndHandsItToTheBackend() {
    String ns = "foreground-handover";
    Cluster.createNamespace(client, ns);
    legacyService(ns);
    ParallelRun run = runWithItsProxy(ns, spec());
    assertThat(client.services().inNamespace(ns).withName("orders-proxy").get().getMetadata().getOwnerReferences())
        .as("no owner: no garbage collector deletes it behind the finalizer's back").isNullOrEmpty();

    deleteInTheForeground(ns, run);

    Service kept = client.services().inNamespace(ns).withName("orders-proxy").get();
    assertThat(kept).as("the Service clients call survives a foreground deletion").isNotNull();
    assertThat(kept.getSpec().getSelector()).isEqualTo(Map.of("app", "order-monolith"));
    assertThat(kept.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("web"));
    assertThat(kept.getMetadata().getAnnotations()).containsEntry("parallelrun.io/handed-over-to", "service/legacy");
    assertThat(client.apps().deployments().inNamespace(ns).withName("orders-proxy").get())
        .as("the rest of the proxy goes with the run").isNull();
  }

  /** A url: backend has no pods to point the Service at: the operator removes it, as nothing else will. */
  @Test
  void aServiceThatCannotBeHandedOverIsRemovedByTheOperator() {
    String ns = "foreground-removed";
    Cluster.createNamespace(client, ns);
    ParallelRun run = runWithItsProxy(ns, Manifests.with(spec(),
        s -> s.setLegacy(new BackendSpec(null, "http://legacy.example:8080"))));

    deleteInTheForeground(ns, run);

    assertThat(client.services().inNamespace(ns).withName("orders-proxy").get()).isNull();
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("ServiceRemoved");
      assertThat(e.getMessage()).contains("url: backend");
    });
  }
}
