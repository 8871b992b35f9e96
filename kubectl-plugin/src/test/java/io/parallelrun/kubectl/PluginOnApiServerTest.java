package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.testing.RealParts;
import io.parallelrun.testing.RepoFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand but diff on a real kube-apiserver (the CRD from crds/, the status subresource), run as a user
 * would: with --kubeconfig and -n. The last test runs the packaged jar through its launcher and the real kubectl,
 * which finds it on PATH as a plugin.
 */
@EnableKubeAPIServer
@RealParts
class PluginOnApiServerTest {
  static final String NS = "shop";
  static KubernetesClient client;
  @KubeConfig
  static String kubeconfigYaml;
  static String kubeconfig;

  @BeforeAll
  static void setUp() throws Exception {
    Path file = Files.createTempFile("kubeconfig", ".yaml");
    file.toFile().deleteOnExit();
    Files.writeString(file, kubeconfigYaml);
    kubeconfig = file.toString();
    try (InputStream in = Files.newInputStream(RepoFiles.crd())) {
      client.apiextensions().v1().customResourceDefinitions().load(in).serverSideApply();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .withName("parallelruns.parallelrun.io").get();
      assertThat(crd.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    });
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
  }

  /** A run with three endpoints; the operator's status for two of them, written through the status subresource. */
  static ParallelRun createRun(String name) {
    ParallelRun created = create(name, """
        endpoints:
          - {name: get-return, method: GET, path: "/api/returns/{id}"}
          - {name: return-reasons, method: GET, path: "/api/returns/{id}/reasons"}
          - {name: create-return, method: POST, path: /api/returns, promotion: Manual}
        """);
    return writeStatus(created, Phase.Progressing, "1/3", List.of(
        StatusTableTest.endpointStatus("get-return", 100, EndpointState.CutOver, 100.0, 250L, "cut over"),
        StatusTableTest.endpointStatus("return-reasons", 0, EndpointState.Shadowing, 61.5, 200L,
            "match rate 61.5% < 99%")));
  }

  /** Creates a run named name whose spec is legacy, candidate and the given YAML. */
  static ParallelRun create(String name, String spec) {
    ParallelRun run = client.resources(ParallelRun.class).inNamespace(NS).load(new java.io.ByteArrayInputStream(("""
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata: {name: %s}
        spec:
          legacy: {url: "http://legacy.example:8080"}
          candidate: {url: "http://candidate.example:8080"}
        """.formatted(name) + spec.indent(2)).getBytes(StandardCharsets.UTF_8))).item();
    run.getMetadata().setNamespace(NS);
    return client.resource(run).create();
  }

  /** The status as the operator writes it: through the status subresource. */
  static ParallelRun writeStatus(ParallelRun run, Phase phase, String cutOver, List<EndpointStatus> endpoints) {
    ParallelRunStatus status = new ParallelRunStatus();
    status.setPhase(phase);
    status.setCutOver(cutOver);
    status.setEndpoints(endpoints);
    run.setStatus(status);
    return client.resource(run).updateStatus();
  }

  static JsonNode json(Cli cli) throws Exception {
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    return Serialization.jsonMapper().readTree(cli.out());
  }

  static ParallelRun read(String name) {
    return client.resources(ParallelRun.class).inNamespace(NS).withName(name).get();
  }

  static Map<String, String> annotations(String name) {
    Map<String, String> annotations = read(name).getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  @Test
  void statusShowsEachRunAndOneRunsEndpoints() throws Exception {
    createRun("status-a");
    createRun("status-b");
    Cli list = Cli.inCluster(kubeconfig, NS, "status");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines().toList()).first().asString().startsWith("NAME ");
    assertThat(list.out()).containsPattern("status-a +Progressing +1/3 +no +3 ").containsPattern("status-b +Progressing");

    Cli one = Cli.inCluster(kubeconfig, NS, "status", "status-a");
    assertThat(one.exitCode()).as(one.toString()).isZero();
    assertThat(one.out()).startsWith("parallelrun shop/status-a: phase Progressing, cut over 1/3\n")
        .containsPattern("get-return +100% +CutOver +100.00% +250 +- +- +cut over")
        .containsPattern("return-reasons +0% +Shadowing +61.50% +200 +- +- +match rate 61.5% < 99%")
        .containsPattern("create-return +- +- +- +- +-");

    JsonNode json = json(Cli.inCluster(kubeconfig, NS, "status", "status-a", "-o", "json"));
    assertThat(json.path("name").asText()).isEqualTo("status-a");
    assertThat(json.path("endpoints").get(1).path("matchRate").asDouble()).isEqualTo(61.5);
    assertThat(json.path("endpoints").get(1).path("state").asText()).isEqualTo("Shadowing");
    JsonNode all = json(Cli.inCluster(kubeconfig, NS, "status", "-o", "json"));
    assertThat(all.findValuesAsText("name")).contains("status-a", "status-b");
  }

  /**
   * A run with comparator rules of its own and shared ones, whose status (as the operator writes it) names a noisy
   * header, a noisy JSON path, a real difference and a field a proxy already ignores as learned noise.
   */
  static ParallelRun createNoisyRun(String name) {
    ParallelRun created = create(name, """
        defaults:
          comparator: {ignoreHeaders: [X-Shared-Trace], ignoreJsonPaths: ["$.meta.requestId"]}
        endpoints:
          - {name: get-return, method: GET, path: "/api/returns/{id}", comparator: {ignoreHeaders: [X-Pod-Name]}}
          - {name: return-reasons, method: GET, path: "/api/returns/{id}/reasons"}
        """);
    EndpointStatus noisy = StatusTableTest.endpointStatus("get-return", 0, EndpointState.Shadowing, 0.0, 400L,
        "match rate 0.0% < 99%: 100% differ at header:x-served-by");
    noisy.setDifferences(List.of(
        new FieldDifference("header:x-served-by", 100.0, true, "ignoreHeaders: [x-served-by]"),
        new FieldDifference("body:$.total", 12.5, false, null),
        new FieldDifference("body:$.generatedAt", 40.0, true, "ignoreJsonPaths: [\"$.generatedAt\"]")));
    noisy.setIgnoredNoise(List.of("body:$.generatedAt", "header:x-request-seq"));
    EndpointStatus buggy = StatusTableTest.endpointStatus("return-reasons", 0, EndpointState.Shadowing, 87.5, 200L,
        "match rate 87.5% < 99%: 12.5% differ at body:$.total");
    buggy.setDifferences(List.of(new FieldDifference("body:$.total", 12.5, false, null)));
    return writeStatus(created, Phase.Shadowing, "0/2", List.of(noisy, buggy));
  }

  @Test
  void suggestPrintsTheEffectiveRulesPlusTheLearnedNoiseAndNothingForTheRealDifference() throws Exception {
    createNoisyRun("noisy");
    String version = read("noisy").getMetadata().getResourceVersion();
    Cli cli = Cli.inCluster(kubeconfig, NS, "suggest", "noisy");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out()).startsWith("""
        # parallelrun shop/noisy: comparator rules for the noise its proxies learned.
        # Commit them to the run's manifest through Git: the operator never writes spec.
        """ + SuggestCommand.MERGE_NOTE + "spec:\n");

    JsonNode yaml = OutputFormat.YAML.readTree(cli.out());
    JsonNode expected = OutputFormat.YAML.readTree("""
        spec:
          endpoints:
            - name: get-return
              comparator:
                ignoreHeaders: [X-Pod-Name, x-served-by, x-request-seq]
                ignoreJsonPaths: ["$.meta.requestId", "$.generatedAt"]
        """);
    assertThat(yaml).as(cli.out()).isEqualTo(expected);
    assertThat(cli.out()).as("the real bug is no rule").doesNotContain("total").doesNotContain("return-reasons");

    assertThat(json(Cli.inCluster(kubeconfig, NS, "suggest", "noisy", "-o", "json"))).isEqualTo(expected);
    Cli asYaml = Cli.inCluster(kubeconfig, NS, "suggest", "noisy", "-o", "yaml");
    assertThat(asYaml.exitCode()).as(asYaml.toString()).isZero();
    assertThat(OutputFormat.YAML.readTree(asYaml.out())).isEqualTo(expected);
    assertThat(read("noisy").getMetadata().getResourceVersion()).as("nothing written").isEqualTo(version);
  }

  @Test
  void suggestWithNoNoiseSaysSoAndSucceeds() throws Exception {
    createRun("quiet");
    Cli cli = Cli.inCluster(kubeconfig, NS, "suggest", "quiet");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).isEqualTo("parallelrun shop/quiet: nothing to suggest: no endpoint's status names noise "
        + "that its comparator rules do not already leave out\n");
    JsonNode json = json(Cli.inCluster(kubeconfig, NS, "suggest", "quiet", "-o", "json"));
    assertThat(json.path("spec").path("endpoints")).isEmpty();
  }

  @Test
  void statusShowsTheTopDifferenceAndWhetherItIsNoise() throws Exception {
    createNoisyRun("why");
    Cli cli = Cli.inCluster(kubeconfig, NS, "status", "why");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out().lines().toList().get(1)).containsPattern(
        "ENDPOINT +WEIGHT +STATE +MATCH-RATE +SAMPLES +TOP-DIFFERENCE +NOISE +MESSAGE");
    assertThat(cli.out())
        .containsPattern("get-return +0% +Shadowing +0.00% +400 +header:x-served-by \\(100%\\) +yes +match rate 0.0%")
        .containsPattern("return-reasons +0% +Shadowing +87.50% +200 +body:\\$.total \\(12.5%\\) +no +match rate 87.5%");
    JsonNode json = json(Cli.inCluster(kubeconfig, NS, "status", "why", "-o", "json"));
    assertThat(json.path("endpoints").get(0).path("differences").get(2).path("field").asText()).isEqualTo("body:$.generatedAt");
    assertThat(json.path("endpoints").get(0).path("ignoredNoise").get(1).asText()).isEqualTo("header:x-request-seq");
  }

  @Test
  void anUnknownRunIsNamedWithItsNamespace() {
    for (String[] command : List.of(new String[] {"status", "nope"}, new String[] {"approve", "nope", "a"},
        new String[] {"rollback", "nope", "--all"}, new String[] {"pause", "nope"}, new String[] {"resume", "nope"},
        new String[] {"diff", "nope", "a"}, new String[] {"suggest", "nope"})) {
      Cli cli = Cli.inCluster(kubeconfig, NS, command);
      assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(KubectlParallelRun.ERROR);
      assertThat(cli.err()).isEqualTo("error: parallelrun \"nope\" not found in namespace \"shop\"\n");
    }
  }

  @Test
  void anUnknownContextIsRefusedNotReplacedByTheCurrentOne() {
    Cli cli = Cli.inCluster(kubeconfig, NS, "status", "--context", "elsewhere");
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(KubectlParallelRun.ERROR);
    assertThat(cli.err()).isEqualTo("error: --context: context \"elsewhere\" not found in the kubeconfig\n");
  }

  @Test
  void approveAddsEndpointsToTheAnnotationAndSaysWhatChanged() throws Exception {
    createRun("approve");
    Cli first = Cli.inCluster(kubeconfig, NS, "approve", "approve", "create-return");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).startsWith(
        "parallelrun shop/approve: annotation parallelrun.io/approve unset -> \"create-return\"\n");
    assertThat(annotations("approve")).containsEntry(ParallelRun.APPROVE_ANNOTATION, "create-return");

    Cli second = Cli.inCluster(kubeconfig, NS, "approve", "approve", "get-return", "create-return");
    assertThat(second.out()).startsWith(
        "parallelrun shop/approve: annotation parallelrun.io/approve \"create-return\" -> \"create-return,get-return\"\n");
    assertThat(annotations("approve")).containsEntry(ParallelRun.APPROVE_ANNOTATION, "create-return,get-return");

    String version = read("approve").getMetadata().getResourceVersion();
    JsonNode again = json(Cli.inCluster(kubeconfig, NS, "approve", "approve", "get-return", "-o", "json"));
    assertThat(again.path("changed").asBoolean()).isFalse();
    assertThat(again.path("after").asText()).isEqualTo("create-return,get-return");
    assertThat(read("approve").getMetadata().getResourceVersion()).as("nothing written").isEqualTo(version);
  }

  @Test
  void anUnknownEndpointIsNamedAndNothingIsWritten() {
    createRun("unknown-endpoint");
    String version = read("unknown-endpoint").getMetadata().getResourceVersion();
    Cli cli = Cli.inCluster(kubeconfig, NS, "approve", "unknown-endpoint", "get-return", "get-retrun");
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(KubectlParallelRun.ERROR);
    assertThat(cli.err()).isEqualTo("error: unknown endpoint \"get-retrun\" in parallelrun shop/unknown-endpoint; "
        + "its endpoints are: get-return, return-reasons, create-return\n");
    Cli rollback = Cli.inCluster(kubeconfig, NS, "rollback", "unknown-endpoint", "x", "y");
    assertThat(rollback.err()).startsWith("error: unknown endpoints \"x\", \"y\" in parallelrun shop/unknown-endpoint");
    Cli diff = Cli.inCluster(kubeconfig, NS, "diff", "unknown-endpoint", "x");
    assertThat(diff.err()).startsWith("error: unknown endpoint \"x\" in parallelrun shop/unknown-endpoint");
    assertThat(read("unknown-endpoint").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void rollbackListsEndpointsOrEverything() throws Exception {
    createRun("rollback");
    Cli some = Cli.inCluster(kubeconfig, NS, "rollback", "rollback", "get-return");
    assertThat(some.exitCode()).as(some.toString()).isZero();
    assertThat(some.out()).startsWith("parallelrun shop/rollback: annotation parallelrun.io/rollback unset -> \"get-return\"\n");
    assertThat(annotations("rollback")).containsEntry(ParallelRun.ROLLBACK_ANNOTATION, "get-return");

    JsonNode all = json(Cli.inCluster(kubeconfig, NS, "rollback", "rollback", "--all", "-o", "json"));
    assertThat(all.path("before").asText()).isEqualTo("get-return");
    assertThat(all.path("after").asText()).isEqualTo("*");
    assertThat(all.path("changed").asBoolean()).isTrue();
    assertThat(annotations("rollback")).containsEntry(ParallelRun.ROLLBACK_ANNOTATION, "*");
  }

  /** Only the annotation is written: a label a GitOps tool set meanwhile, and the operator's status, stay. */
  @Test
  void approvingWritesOnlyTheAnnotation() {
    createRun("only-annotation");
    client.resources(ParallelRun.class).inNamespace(NS).withName("only-annotation")
        .edit(r -> {
          r.getMetadata().setLabels(Map.of("team", "returns"));
          return r;
        });
    assertThat(Cli.inCluster(kubeconfig, NS, "approve", "only-annotation", "create-return").exitCode()).isZero();
    ParallelRun after = read("only-annotation");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "returns");
    assertThat(after.getStatus().getCutOver()).isEqualTo("1/3");
    assertThat(after.getSpec().getEndpoints()).hasSize(3);
  }

  @Test
  void pauseAndResumeSetAndRemoveSpecPausedAndWarnAboutGitOps() throws Exception {
    createRun("pause");
    Cli pause = Cli.inCluster(kubeconfig, NS, "pause", "pause");
    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    assertThat(pause.out()).isEqualTo("parallelrun shop/pause: spec.paused unset -> \"true\"\nnote: " + PausedEdit.GITOPS_NOTE + "\n");
    assertThat(read("pause").getSpec().getPaused()).isTrue();
    assertThat(Cli.inCluster(kubeconfig, NS, "pause", "pause").out())
        .isEqualTo("parallelrun shop/pause: spec.paused already \"true\", nothing changed\n");

    JsonNode resume = json(Cli.inCluster(kubeconfig, NS, "resume", "pause", "-o", "json"));
    assertThat(resume.path("before").asText()).isEqualTo("true");
    assertThat(resume.has("after")).isFalse();
    assertThat(resume.path("note").asText()).contains("GitOps");
    assertThat(read("pause").getSpec().getPaused()).isNull();
    assertThat(Cli.inCluster(kubeconfig, NS, "resume", "pause").out())
        .isEqualTo("parallelrun shop/pause: spec.paused already unset, nothing changed\n");
  }

  /**
   * The packaged jar, installed by hack/install-kubectl-plugin.sh into a directory of its own, found there by the
   * real kubectl on PATH as `kubectl parallelrun`, run by the launcher.
   */
  @Test
  void kubectlFindsThePluginInstalledOnPath(@TempDir Path bin) throws Exception {
    createRun("through-kubectl");
    assertThat(RepoFiles.root().resolve("kubectl-plugin/target/kubectl-parallelrun.jar"))
        .as("packaged before the integration tier").exists();
    Process install = new ProcessBuilder(RepoFiles.root().resolve("hack/install-kubectl-plugin.sh").toString(),
        bin.toString()).redirectErrorStream(true).start();
    assertThat(install.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String installed = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(install.exitValue()).as(installed).isZero();
    assertThat(bin.resolve("kubectl-parallelrun")).isExecutable();
    assertThat(bin.resolve("kubectl-parallelrun.jar")).exists();
    Path launcherDir = bin;
    List<String> command = new ArrayList<>(List.of("kubectl", "parallelrun", "status", "through-kubectl",
        "--kubeconfig", kubeconfig, "-n", NS));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", launcherDir + java.io.File.pathSeparator + System.getenv("PATH"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl parallelrun finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).isEqualTo(Cli.inCluster(kubeconfig, NS, "status", "through-kubectl").out());

    ProcessBuilder failing = new ProcessBuilder(List.of("kubectl", "parallelrun", "status", "nope", "--kubeconfig",
        kubeconfig, "-n", NS)).redirectErrorStream(true);
    failing.environment().put("PATH", builder.environment().get("PATH"));
    Process failed = failing.start();
    assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(failed.exitValue()).as("the exit code reaches kubectl's caller").isEqualTo(KubectlParallelRun.ERROR);
    assertThat(new String(failed.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("error: parallelrun \"nope\" not found in namespace \"shop\"\n");
  }
}
