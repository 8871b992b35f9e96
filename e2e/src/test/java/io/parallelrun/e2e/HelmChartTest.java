package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.operator.dependent.ProxyObjects;
import io.parallelrun.testing.Helm;
import io.parallelrun.testing.Kubectl;
import io.parallelrun.testing.RealParts;
import io.parallelrun.testing.RepoFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Helm chart: lint, render, and a server-side dry-run of what it renders on a real kube-apiserver. */
@EnableKubeAPIServer
@RealParts
class HelmChartTest {
  static KubernetesClient client;
  @KubeConfig
  static String kubeconfig;
  static Kubectl kubectl;
  static final Helm helm = new Helm();
  static final String ALL_MONITORING = "monitoring.serviceMonitor=true,monitoring.podMonitor=true,"
      + "monitoring.prometheusRule=true,monitoring.grafanaDashboard=true";

  @BeforeAll
  static void setUp() throws Exception {
    kubectl = new Kubectl(kubeconfig);
    kubectl.run("create", "namespace", "parallel-run-system").assertSuccess();
  }

  @Test
  void lintIsClean() throws Exception {
    assertThat(helm.run("lint", "--strict", Helm.CHART.toString()).assertSuccess().output())
        .contains("0 chart(s) failed");
    assertThat(helm.run("lint", "--strict", Helm.CHART.toString(), "--set", ALL_MONITORING + ",replicas=3")
        .assertSuccess().output()).contains("0 chart(s) failed");
  }

  @Test
  void rendersTheOperatorHardenedAndLeastPrivileged() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system"));
    Deployment deployment = only(objects, Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");

    ClusterRole role = only(objects, ClusterRole.class);
    assertThat(role.getRules()).as("manages the proxies' PodDisruptionBudgets").anyMatch(r ->
        r.getApiGroups().contains("policy") && r.getResources().contains("poddisruptionbudgets")
            && r.getVerbs().containsAll(List.of("list", "watch", "create", "patch", "delete")));
    // patch: the finalizer that lets a deleted run hand its Service over (metadata only; the code never writes spec).
    assertThat(role.getRules()).as("reads ParallelRuns, patches only to hold its finalizer, never creates or deletes")
        .noneMatch(r -> r.getResources().contains("parallelruns")
            && r.getVerbs().stream().anyMatch(v -> !List.of("get", "list", "watch", "patch", "update").contains(v)));
    assertThat(role.getRules()).as("no wildcards").noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
    assertThat(role.getRules()).as("no secrets").noneMatch(r -> r.getResources().contains("secrets"));
  }

  /** One replica included: during `helm upgrade` the old and the new pod run side by side, and only one may reconcile. */
  @Test
  void leaderElectionIsAlwaysOnSoOneOperatorReconcilesEvenDuringAnUpgrade() throws Exception {
    for (String values : List.of("replicas=1", "replicas=3", "watchNamespaces={shop}")) {
      leaderElectionIsOn(values);
    }
  }

  static void leaderElectionIsOn(String values) throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", values));
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--leader-election", "--leader-election-namespace=parallel-run-system");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .as("the standby is up before the old pod stops").isZero();
    Role lease = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .filter(r -> r.getMetadata().getName().endsWith("leader-election")).findFirst().orElseThrow();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("parallel-run-system");
    assertThat(lease.getRules()).singleElement().satisfies(r -> {
      assertThat(r.getResources()).containsExactly("leases");
      // patch: fabric8's LeaderElector renews and takes over the Lease with PATCH.
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
    });
    assertThat(objects).anyMatch(o -> o instanceof RoleBinding b
        && b.getRoleRef().getName().equals(lease.getMetadata().getName())
        && b.getMetadata().getNamespace().equals("parallel-run-system"));
  }

  @Test
  void watchNamespacesGrantsRolesInThoseNamespacesAndNothingClusterWide() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", "watchNamespaces={shop,billing}"));
    assertThat(objects).as("no cluster-wide grant").noneMatch(o -> o instanceof ClusterRole || o instanceof ClusterRoleBinding);
    assertThat(only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--namespace=shop,billing");
    for (String ns : List.of("shop", "billing")) {
      Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
          .filter(r -> ns.equals(r.getMetadata().getNamespace())).findFirst().orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertThat(role.getRules()).anyMatch(r -> r.getResources().contains("deployments") && r.getVerbs().contains("create"));
      assertThat(role.getRules()).anyMatch(r -> r.getResources().contains("parallelruns") && r.getVerbs().contains("watch"));
      assertThat(objects).anyMatch(o -> o instanceof RoleBinding b && ns.equals(b.getMetadata().getNamespace())
          && b.getRoleRef().getKind().equals("Role") && b.getRoleRef().getName().equals(role.getMetadata().getName())
          && b.getSubjects().get(0).getNamespace().equals("parallel-run-system"));
    }
    assertThat(objects).as("the operator's namespace gets only the Lease").noneMatch(o -> o instanceof Role r
        && r.getMetadata().getNamespace().equals("parallel-run-system") && !r.getMetadata().getName().endsWith("leader-election"));
  }

  @Test
  void policyValuesBecomeTheOperatorsAllowlists() throws Exception {
    var env = only(parse(helm.template("parallel-run-system", "policy.allowedProxyImages={ghcr.io/acme/*}",
        "policy.allowedBackendHosts={*.acme.com,10.0.0.0/8}", "policy.allowedPrometheusHosts={prometheus.monitoring}")),
        Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).anyMatch(e -> e.getName().equals("PARALLELRUN_ALLOWED_PROXY_IMAGES") && e.getValue().equals("ghcr.io/acme/*"));
    assertThat(env).anyMatch(e -> e.getName().equals("PARALLELRUN_ALLOWED_BACKEND_HOSTS") && e.getValue().equals("*.acme.com,10.0.0.0/8"));
    assertThat(env).anyMatch(e -> e.getName().equals("PARALLELRUN_ALLOWED_PROMETHEUS_HOSTS") && e.getValue().equals("prometheus.monitoring"));
    assertThat(only(parse(helm.template("parallel-run-system")), Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv()).as("defaults: the operator's built-in policy").noneMatch(e -> e.getName().startsWith("PARALLELRUN_ALLOWED_"));
  }

  static final String PROVIDERS_VALUES = """
      analysisProviders:
        - name: mimir
          url: https://mimir-query.monitoring:8080/prometheus
          bearerTokenSecret: {name: mimir-reader, key: token}
          caSecret: {name: mimir-ca, key: ca.crt}
          headers: {X-Scope-OrgID: payments}
          timeout: 10s
        - name: thanos
          url: http://thanos-query.monitoring:9090
          basicAuth: {username: reader, passwordSecret: {name: thanos-reader, key: password}}
        - {name: plain, url: "http://prometheus.monitoring:9090"}
      """;

  static String templateWithValues(String valuesYaml, String... sets) throws Exception {
    Path values = Files.createTempFile("values", ".yaml");
    Files.writeString(values, valuesYaml);
    List<String> args = new java.util.ArrayList<>(List.of("template", "parallel-run", Helm.CHART.toString(),
        "--namespace", "parallel-run-system", "-f", values.toString()));
    for (String set : sets) args.addAll(List.of("--set", set));
    return helm.run(args.toArray(String[]::new)).assertSuccess().output();
  }

  /**
   * Every file the rendered --analysis-providers file names is where the Deployment mounts the Secret key the
   * values named, and the operator reads that file from the ConfigMap; raw URLs are refused unless allowed.
   */
  @Test
  @SuppressWarnings("unchecked")
  void analysisProvidersBecomeAConfigMapAndSecretFilesWhereItSaysTheyAre() throws Exception {
    List<HasMetadata> objects = parse(templateWithValues(PROVIDERS_VALUES));
    var configMap = objects.stream().filter(io.fabric8.kubernetes.api.model.ConfigMap.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().endsWith("-analysis-providers")).findFirst().orElseThrow();
    List<Map<String, Object>> providers = (List<Map<String, Object>>) Serialization.unmarshal(
        configMap.getData().get("providers.yaml"), List.class);
    assertThat(providers).extracting(p -> p.get("name")).containsExactly("mimir", "thanos", "plain");
    assertThat(providers.get(0)).containsEntry("headers", Map.of("X-Scope-OrgID", "payments")).containsEntry("timeout", "10s");
    assertThat(configMap.getData().get("providers.yaml")).as("no credential in the ConfigMap").doesNotContain("mimir-reader");

    var pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    String providersFile = container.getArgs().stream().filter(a -> a.startsWith("--analysis-providers="))
        .map(a -> a.substring("--analysis-providers=".length())).findFirst().orElseThrow();
    assertThat(mounted(pod, container, providersFile)).as(providersFile)
        .isEqualTo("configMap " + configMap.getMetadata().getName() + " providers.yaml");
    assertThat(mounted(pod, container, (String) providers.get(0).get("bearerTokenFile"))).isEqualTo("secret mimir-reader token");
    assertThat(mounted(pod, container, (String) providers.get(0).get("caFile"))).isEqualTo("secret mimir-ca ca.crt");
    Map<String, Object> basicAuth = (Map<String, Object>) providers.get(1).get("basicAuth");
    assertThat(basicAuth).containsEntry("username", "reader");
    assertThat(mounted(pod, container, (String) basicAuth.get("passwordFile"))).isEqualTo("secret thanos-reader password");
    assertThat(providers.get(2)).containsOnlyKeys("name", "url");
    assertThat(container.getVolumeMounts()).as("no subPath: a rotated Secret reaches the file")
        .allMatch(m -> m.getSubPath() == null && (m.getName().equals("tmp") || Boolean.TRUE.equals(m.getReadOnly())));

    assertThat(container.getEnv()).as("providers configured: raw URLs refused")
        .anyMatch(e -> e.getName().equals("PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL") && e.getValue().equals("false"));
    assertThat(only(parse(templateWithValues(PROVIDERS_VALUES, "policy.allowRawPrometheusUrl=true")), Deployment.class)
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(e -> e.getName().equals("PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL") && e.getValue().equals("true"));
    var plain = only(parse(helm.template("parallel-run-system")), Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(plain.getContainers().get(0).getArgs()).as("no providers: as before").noneMatch(a -> a.startsWith("--analysis-providers"));
    assertThat(plain.getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL"));
    var both = helm.run("template", "parallel-run", Helm.CHART.toString(), "--set", "analysisProviders[0].name=a,"
        + "analysisProviders[0].url=http://p:9090,analysisProviders[0].bearerTokenSecret.name=s,"
        + "analysisProviders[0].bearerTokenSecret.key=k,analysisProviders[0].basicAuth.username=u");
    assertThat(both.exitCode()).as("token and basic auth together").isNotZero();
    assertThat(both.output()).contains("analysisProviders a: bearerTokenSecret and basicAuth are mutually exclusive");

    Path rendered = Files.createTempFile("providers", ".yaml");
    Files.writeString(rendered, templateWithValues(PROVIDERS_VALUES));
    kubectl.run("apply", "--server-side", "-f", Helm.CHART.resolve("crds").toString()).assertSuccess();
    assertThat(kubectl.run("apply", "--server-side", "--dry-run=server", "-f", rendered.toString()).assertSuccess().output())
        .contains("configmap/parallel-run-parallel-run-operator-analysis-providers serverside-applied (server dry run)",
            "deployment.apps/parallel-run-parallel-run-operator serverside-applied (server dry run)");
  }

  /** "configMap NAME KEY" or "secret NAME KEY": what the container sees at that path. */
  static String mounted(io.fabric8.kubernetes.api.model.PodSpec pod, io.fabric8.kubernetes.api.model.Container container,
      String file) {
    Path path = Path.of(file);
    var mount = container.getVolumeMounts().stream().filter(m -> Path.of(m.getMountPath()).equals(path.getParent()))
        .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + path.getParent()));
    var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    String name = path.getFileName().toString();
    if (volume.getConfigMap() != null) return "configMap " + volume.getConfigMap().getName() + " " + name;
    return volume.getProjected().getSources().stream().filter(s -> s.getSecret() != null)
        .flatMap(s -> s.getSecret().getItems().stream().filter(i -> i.getPath().equals(name))
            .map(i -> "secret " + s.getSecret().getName() + " " + i.getKey()))
        .findFirst().orElse("nothing");
  }

  @Test
  void renderedChartPassesServerSideDryRun() throws Exception {
    for (Path stub : RepoFiles.yamlFilesUnder(Path.of("src/test/resources/stub-crds"))) {
      kubectl.run("apply", "--server-side", "-f", stub.toString()).assertSuccess();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "servicemonitors,podmonitors,prometheusrules", "-A").exitCode() == 0);

    Path rendered = Files.createTempFile("chart", ".yaml");
    // CRDs must exist before the dry-run of anything else, as on a real install: apply them for real first.
    kubectl.run("apply", "--server-side", "-f", Helm.CHART.resolve("crds").toString()).assertSuccess();
    Files.writeString(rendered, helm.template("parallel-run-system", ALL_MONITORING + ",replicas=2"));
    String out = kubectl.run("apply", "--server-side", "--dry-run=server", "-f", rendered.toString()).assertSuccess().output();
    assertThat(out.lines()).contains("role.rbac.authorization.k8s.io/parallel-run-parallel-run-operator-leader-election serverside-applied (server dry run)");
    kubectl.run("create", "namespace", "shop").assertSuccess();
    Files.writeString(rendered, helm.template("parallel-run-system", "watchNamespaces={shop}"));
    // Whole lines: "clusterrole.rbac..." contains "role.rbac..." as a substring.
    assertThat(kubectl.run("apply", "--server-side", "--dry-run=server", "-f", rendered.toString()).assertSuccess().output().lines())
        .contains("role.rbac.authorization.k8s.io/parallel-run-parallel-run-operator serverside-applied (server dry run)",
            "rolebinding.rbac.authorization.k8s.io/parallel-run-parallel-run-operator serverside-applied (server dry run)")
        .noneMatch(line -> line.startsWith("clusterrole"));
    assertThat(out).contains("deployment.apps/parallel-run-parallel-run-operator serverside-applied (server dry run)",
        "clusterrole.rbac.authorization.k8s.io/parallel-run-parallel-run-operator serverside-applied (server dry run)",
        "podmonitor.monitoring.coreos.com/parallel-run-parallel-run-operator-proxies serverside-applied (server dry run)",
        "prometheusrule.monitoring.coreos.com/parallel-run-parallel-run-operator serverside-applied (server dry run)",
        "configmap/parallel-run-parallel-run-operator-dashboard serverside-applied (server dry run)");
  }

  @Test
  void networkPoliciesAreOptInAndOffByDefault() throws Exception {
    for (String values : List.of("replicas=1", "watchNamespaces={shop}")) {
      assertThat(parse(helm.template("parallel-run-system", values))).as(values)
          .noneMatch(NetworkPolicy.class::isInstance);
    }
  }

  @Test
  void networkPolicyLetsOnlyPrometheusReachTheOperator() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", "networkPolicy.enabled=true"));
    NetworkPolicy policy = only(objects, NetworkPolicy.class);
    assertThat(policy.getMetadata().getNamespace()).isEqualTo("parallel-run-system");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(only(objects, Deployment.class).getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).as("egress open: the API server's address is cluster-specific")
        .containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isIn(new IntOrString(8081), new IntOrString("http-health")));
      assertThat(rule.getFrom()).singleElement().isEqualTo(peer(Map.of("kubernetes.io/metadata.name", "monitoring"), null));
    });
  }

  @Test
  void networkPolicyPerWatchedNamespaceOpensTheClientPortAndTheAdminPortOnlyToPrometheus() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", "networkPolicy.enabled=true",
        "watchNamespaces={shop,billing}", "networkPolicy.prometheus.namespaceSelector.matchLabels.team=observability",
        "networkPolicy.prometheus.podSelector.matchLabels.app\\.kubernetes\\.io/name=prometheus"));
    // The namespaceSelector replaces the default one as a whole: --set merges maps, so the default label stays.
    NetworkPolicyPeer prometheus = peer(Map.of("kubernetes.io/metadata.name", "monitoring", "team", "observability"),
        Map.of("app.kubernetes.io/name", "prometheus"));
    for (String ns : List.of("shop", "billing")) {
      NetworkPolicy policy = objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
          .filter(p -> ns.equals(p.getMetadata().getNamespace())).reduce((a, b) -> {
            throw new AssertionError("more than one NetworkPolicy in " + ns);
          }).orElseThrow(() -> new AssertionError("no NetworkPolicy in " + ns));
      // Exactly what the operator puts on every proxy pod, minus the per-run instance label.
      Map<String, String> proxyPodLabels = ProxyObjects.labels(runNamed(ns, "checkout"));
      assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
      assertThat(proxyPodLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
      assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsOnlyKeys(
          ProxyObjects.NAME_LABEL, ProxyObjects.COMPONENT_LABEL, ProxyObjects.MANAGED_BY_LABEL);
      assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
      List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
      assertThat(rules).as("a rule without ports would open every port").allMatch(r -> r.getPorts() != null && !r.getPorts().isEmpty());
      assertThat(rules).as("clients reach the client port from anywhere").anyMatch(r -> (r.getFrom() == null || r.getFrom().isEmpty())
          && r.getPorts().stream().anyMatch(p -> p.getPort().equals(new IntOrString(ProxyObjects.HTTP_PORT_NAME))));
      List<NetworkPolicyIngressRule> admin = rules.stream().filter(r -> r.getPorts().stream().anyMatch(p ->
          p.getPort().equals(new IntOrString(ProxyObjects.ADMIN_PORT_NAME)) || p.getPort().equals(new IntOrString(ProxyObjects.ADMIN_PORT)))).toList();
      assertThat(admin).as("the admin port is open to Prometheus only").singleElement()
          .satisfies(r -> assertThat(r.getFrom()).containsExactly(prometheus));
      assertThat(rules).as("every port is one of the proxy's two").allMatch(r -> r.getPorts().stream().allMatch(p ->
          List.of(new IntOrString(ProxyObjects.HTTP_PORT_NAME), new IntOrString(ProxyObjects.ADMIN_PORT_NAME)).contains(p.getPort())));
    }
  }

  @Test
  void networkPolicyWithoutWatchNamespacesCannotKnowTheProxiesNamespaces() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", "networkPolicy.enabled=true"));
    assertThat(objects.stream().filter(NetworkPolicy.class::isInstance)).as("the operator's only").hasSize(1);
    Helm cluster = new Helm(kubeconfig);
    assertThat(cluster.run("install", "parallel-run", Helm.CHART.toString(), "--namespace", "parallel-run-system",
        "--dry-run=client", "--set", "networkPolicy.enabled=true").assertSuccess().output())
        .contains("no NetworkPolicy for the proxies").contains("watchNamespaces");
  }

  @Test
  void networkPolicyRefusesAnEmptyPrometheusNamespaceSelector() throws Exception {
    // An empty namespaceSelector selects every namespace: the admin port would be open to the whole cluster.
    for (String empty : List.of("networkPolicy.prometheus.namespaceSelector=null",
        "networkPolicy.prometheus.namespaceSelector.matchLabels=null")) {
      var result = helm.run("template", "parallel-run", Helm.CHART.toString(), "--set", "networkPolicy.enabled=true," + empty);
      assertThat(result.exitCode()).as(empty).isNotZero();
      assertThat(result.output()).as(empty).contains("networkPolicy.prometheus.namespaceSelector must select");
    }
  }

  @Test
  void networkPoliciesPassServerSideDryRun() throws Exception {
    kubectl.run("create", "namespace", "identity").assertSuccess();
    Path rendered = Files.createTempFile("chart", ".yaml");
    Files.writeString(rendered, helm.template("parallel-run-system", "networkPolicy.enabled=true", "watchNamespaces={identity}",
        "networkPolicy.prometheus.podSelector.matchLabels.app=prometheus"));
    assertThat(kubectl.run("apply", "--server-side", "--dry-run=server", "-f", rendered.toString()).assertSuccess().output().lines())
        .contains("networkpolicy.networking.k8s.io/parallel-run-parallel-run-operator serverside-applied (server dry run)",
            "networkpolicy.networking.k8s.io/parallel-run-parallel-run-operator-proxies serverside-applied (server dry run)");
  }

  static NetworkPolicyPeer peer(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
    // No matchExpressions: fabric8 reads an absent list as an empty one.
    NetworkPolicyPeer peer = new NetworkPolicyPeer();
    peer.setNamespaceSelector(new LabelSelector(List.of(), namespaceLabels));
    peer.setPodSelector(podLabels == null ? null : new LabelSelector(List.of(), podLabels));
    return peer;
  }

  static ParallelRun runNamed(String namespace, String name) {
    ParallelRun run = new ParallelRun();
    run.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return run;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everySelectorInTheChartMatchesThePodsItMeans() throws Exception {
    List<HasMetadata> objects = parse(helm.template("parallel-run-system", ALL_MONITORING));
    // The PodMonitor selects exactly what the operator puts on every proxy pod: once it named a label proxy pods
    // do not carry, scraped nothing, and every ParallelRun froze on MetricsAvailable=False.
    Map<String, Object> podMonitor = (Map<String, Object>) generic(objects, "PodMonitor").getAdditionalProperties().get("spec");
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) podMonitor.get("selector")).get("matchLabels");
    assertThat(selector).isNotEmpty();
    assertThat(ProxyObjects.labels(runNamed("shop", "checkout"))).containsAllEntriesOf(selector);
    assertThat(((List<Map<String, Object>>) podMonitor.get("podMetricsEndpoints")).get(0).get("port"))
        .isEqualTo(ProxyObjects.ADMIN_PORT_NAME);

    // The chart's own selectors select the operator's pod.
    Deployment deployment = only(objects, Deployment.class);
    Map<String, String> operatorPod = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(operatorPod).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    List<io.fabric8.kubernetes.api.model.Service> services = objects.stream()
        .filter(io.fabric8.kubernetes.api.model.Service.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.Service.class::cast).toList();
    assertThat(services).isNotEmpty().allSatisfy(s -> assertThat(operatorPod).containsAllEntriesOf(s.getSpec().getSelector()));
    Map<String, Object> serviceMonitor = (Map<String, Object>) generic(objects, "ServiceMonitor").getAdditionalProperties().get("spec");
    Map<String, String> serviceSelector = (Map<String, String>) ((Map<String, Object>) serviceMonitor.get("selector")).get("matchLabels");
    assertThat(services).anySatisfy(s -> assertThat(s.getMetadata().getLabels()).containsAllEntriesOf(serviceSelector));
  }

  static io.fabric8.kubernetes.api.model.GenericKubernetesResource generic(List<HasMetadata> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind()))
        .map(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
  }

  static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    @SuppressWarnings("unchecked")
    List<HasMetadata> list = parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
    return list;
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> {
      throw new AssertionError("more than one " + type.getSimpleName());
    }).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " rendered"));
  }
}
