package io.parallelrun.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.operator.OperatorSettings;
import io.parallelrun.operator.ParallelRunOperator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The API-server side of integration tests: the CRD, namespaces, an in-process operator, status reads. */
public final class Cluster {
  public static final String TEST_PROXY_IMAGE = "registry.example/parallel-run-proxy:test";

  private Cluster() {}

  public static Path repoRoot() {
    String root = System.getProperty("repo.root");
    return Path.of(root != null ? root : "..").toAbsolutePath().normalize();
  }

  public static void applyCrd(KubernetesClient client) {
    Path crd = repoRoot().resolve("crds/parallelruns.parallelrun.io-v1.yml");
    try (InputStream in = Files.newInputStream(crd)) {
      client.apiextensions().v1().customResourceDefinitions().load(in).serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      CustomResourceDefinition established = client.apiextensions().v1().customResourceDefinitions()
          .withName("parallelruns.parallelrun.io").get();
      assertThat(established.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    });
  }

  public static void createNamespace(KubernetesClient client, String namespace) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  public static ParallelRunOperator startOperator(KubernetesClient client, String prometheusUrl) {
    return startOperator(client, prometheusUrl, new SimpleMeterRegistry());
  }

  public static ParallelRunOperator startOperator(KubernetesClient client, String prometheusUrl, MeterRegistry registry) {
    OperatorSettings settings = new OperatorSettings(Optional.ofNullable(prometheusUrl), TEST_PROXY_IMAGE, 0,
        false, Optional.empty(), Set.of(), Duration.ofSeconds(2));
    return ParallelRunOperator.create(client, settings, registry, Clock.systemUTC()).start();
  }

  /** The operator with these settings (e.g. analysis providers), on a fresh meter registry. */
  public static ParallelRunOperator startOperatorWith(KubernetesClient client, OperatorSettings settings) {
    return ParallelRunOperator.create(client, settings, new SimpleMeterRegistry(), Clock.systemUTC()).start();
  }

  /** A namespace per test, named after its method, created, so tests never see each other's runs. */
  public static String namespaceFor(KubernetesClient client, org.junit.jupiter.api.TestInfo info) {
    String ns = info.getTestMethod().orElseThrow().getName().replaceAll("([A-Z])", "-$1").toLowerCase()
        .replaceAll("[^a-z0-9-]", "-");
    ns = (ns.length() > 40 ? ns.substring(0, 40) : ns).replaceAll("-+$", "");
    createNamespace(client, ns);
    return ns;
  }

  /** The Events of a namespace with this reason. */
  public static List<Event> events(KubernetesClient client, String namespace, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  public static ParallelRun get(KubernetesClient client, String namespace, String name) {
    return client.resources(ParallelRun.class).inNamespace(namespace).withName(name).get();
  }

  /** The endpoint's status, or an empty one while the operator has not written it yet. */
  public static EndpointStatus endpoint(KubernetesClient client, String namespace, String name, String endpoint) {
    ParallelRun run = get(client, namespace, name);
    if (run == null || run.getStatus() == null || run.getStatus().getEndpoints() == null) return new EndpointStatus();
    return run.getStatus().getEndpoints().stream().filter(e -> endpoint.equals(e.getName())).findFirst()
        .orElseGet(EndpointStatus::new);
  }

  public static String condition(KubernetesClient client, String namespace, String name, String type) {
    ParallelRun run = get(client, namespace, name);
    if (run == null || run.getStatus() == null) return null;
    return run.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason()).findFirst().orElse(null);
  }
}
