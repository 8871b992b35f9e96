package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointState;
import io.parallelrun.testing.Kubectl;
import io.parallelrun.testing.RealParts;
import io.parallelrun.testing.RepoFiles;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRD on a real kube-apiserver (built from k8s.io/kubernetes, see hack/build-kube-binaries.sh). */
@EnableKubeAPIServer
@RealParts
class CrdOnRealApiServerTest {
  static KubernetesClient client;
  @KubeConfig
  static String kubeconfig;
  static Kubectl kubectl;

  private static final Pattern EXPECT = Pattern.compile("^# expect: (.+)$", Pattern.MULTILINE);

  @BeforeAll
  static void installCrd() throws Exception {
    kubectl = new Kubectl(kubeconfig);
    kubectl.run("apply", "--server-side", "-f", RepoFiles.crd().toString()).assertSuccess();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .withName("parallelruns.parallelrun.io").get();
      assertThat(crd.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    });
    // Discovery of a new CRD lags Established by a moment; kubectl needs it.
    await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "prun").exitCode() == 0);
  }

  static Stream<Path> examples() {
    return RepoFiles.yamlFilesUnder(RepoFiles.root().resolve("examples")).stream();
  }

  static Stream<Path> invalidManifests() {
    return RepoFiles.yamlFilesUnder(Path.of("src/test/resources/invalid")).stream();
  }

  @Test
  void thereAreAtLeastFifteenInvalidManifests() {
    assertThat(invalidManifests().count()).isGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsAccepted(Path example) throws Exception {
    String namespace = "ex-" + Integer.toHexString(example.toString().hashCode());
    kubectl.run("create", "namespace", namespace);
    kubectl.run("apply", "-n", namespace, "-f", example.toString()).assertSuccess();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void invalidManifestIsRejectedNamingTheField(Path manifest) {
    String yaml = RepoFiles.read(manifest);
    Matcher expect = EXPECT.matcher(yaml);
    assertThat(expect.find()).as("%s has a '# expect: <text>' line", manifest).isTrue();
    GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.genericKubernetesResources("parallelrun.io/v1alpha1", "ParallelRun")
        .inNamespace("default").resource(resource).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expect.group(1).trim());
  }

  @Test
  void kubectlGetShowsPhaseAndCutOverColumns() throws Exception {
    kubectl.run("create", "namespace", "columns");
    ParallelRun run = load("examples/minimal.yaml");
    run.getMetadata().setNamespace("columns");
    client.resource(run).create();
    ParallelRunStatus status = new ParallelRunStatus();
    status.setPhase(Phase.Progressing);
    status.setCutOver("1/1");
    status.setLegacy("hello-v1:8080");
    status.setCandidate("hello-v2:8080");
    run.setStatus(status);
    client.resource(run).updateStatus();

    String table = kubectl.run("get", "prun", "-n", "columns").assertSuccess().output();
    assertThat(table.lines().findFirst().orElseThrow()).matches("NAME\\s+PHASE\\s+CUT-OVER\\s+AGE\\s*");
    assertThat(table).containsPattern("hello\\s+Progressing\\s+1/1\\s+");

    String wide = kubectl.run("get", "prun", "-n", "columns", "-o", "wide").assertSuccess().output();
    assertThat(wide.lines().findFirst().orElseThrow()).contains("LEGACY", "CANDIDATE");
    assertThat(wide).contains("hello-v1:8080", "hello-v2:8080");
  }

  @Test
  void kubectlExplainDocumentsTheEndpointFields() throws Exception {
    String explained = await().atMost(Duration.ofSeconds(30)).until(
        () -> kubectl.run("explain", "prun.spec.endpoints"), r -> r.exitCode() == 0).output();
    assertThat(explained).contains("name", "method", "path", "threshold", "comparator", "steps", "mirror",
        "mirrorPercent", "promotion", "Path template");
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresource() throws Exception {
    kubectl.run("create", "namespace", "subresource");
    ParallelRun run = load("examples/minimal.yaml");
    run.getMetadata().setNamespace("subresource");
    run.setStatus(statusWithWeight(100));
    ParallelRun created = client.resource(run).create();
    assertThat(created.getStatus()).as("status sent with create is dropped").isNull();

    created.setStatus(statusWithWeight(100));
    ParallelRun updated = client.resource(created).update();
    assertThat(updated.getStatus()).as("status sent with a main-resource update is dropped").isNull();

    updated.setStatus(statusWithWeight(40));
    client.resource(updated).updateStatus();
    ParallelRun read = client.resource(updated).get();
    assertThat(read.getStatus().getEndpoints()).singleElement()
        .satisfies(e -> assertThat(e.getWeight()).isEqualTo(40));
    assertThat(read.getMetadata().getGeneration()).as("a status write does not bump the generation").isEqualTo(1L);
  }

  private static ParallelRunStatus statusWithWeight(int weight) {
    EndpointStatus endpoint = new EndpointStatus();
    endpoint.setName("greeting");
    endpoint.setWeight(weight);
    endpoint.setState(EndpointState.Promoting);
    ParallelRunStatus status = new ParallelRunStatus();
    status.setEndpoints(List.of(endpoint));
    return status;
  }

  private static ParallelRun load(String file) {
    return client.getKubernetesSerialization().unmarshal(
        new ByteArrayInputStream(RepoFiles.read(RepoFiles.root().resolve(file)).getBytes(StandardCharsets.UTF_8)),
        ParallelRun.class);
  }
}
