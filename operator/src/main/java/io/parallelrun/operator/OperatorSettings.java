package io.parallelrun.operator;

import io.parallelrun.api.Durations;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.observe.PrometheusUrl;
import io.parallelrun.operator.observe.provider.AnalysisProviders;
import io.parallelrun.operator.policy.HostAllowlist;
import io.parallelrun.operator.policy.ImageAllowlist;
import io.parallelrun.operator.policy.RunPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Operator-wide configuration, immutable. Each setting is a flag, else an environment variable, else a default;
 * {@link #USAGE} lists them (what {@code --help} prints, checked against the parser by OperatorSettingsTest).
 *
 * <p>Link-local and cloud metadata addresses are refused as backends and Prometheus hosts unless the allowed hosts
 * name them (see {@link HostAllowlist}).
 */
public record OperatorSettings(
    Optional<String> prometheusUrl,
    String proxyImage,
    int healthPort,
    boolean leaderElection,
    Optional<String> leaderElectionNamespace,
    Set<String> namespaces,
    Duration prometheusTimeout,
    long prometheusMaxAnswerBytes,
    List<String> allowedProxyImages,
    List<String> allowedBackendHosts,
    List<String> allowedPrometheusHosts,
    AnalysisProviders analysisProviders,
    boolean allowRawPrometheusUrl) {

  public static final String USAGE = """
      usage: java -jar parallel-run-operator.jar [flags]
      Each flag may also be given as the environment variable next to it; a flag wins over its variable.

        --prometheus-url=URL              PARALLELRUN_PROMETHEUS_URL         Prometheus of runs that name none
        --proxy-image=IMAGE               PARALLELRUN_PROXY_IMAGE            proxy image (spec.proxy.image wins, if allowed)
        --health-port=PORT                PARALLELRUN_HEALTH_PORT            /healthz, /readyz and /metrics (default 8081)
        --leader-election[=true|false]    PARALLELRUN_LEADER_ELECTION        take a Lease before reconciling (default false)
        --leader-election-namespace=NS    PARALLELRUN_LEADER_ELECTION_NAMESPACE  namespace of the Lease (default: the pod's)
        --namespace=NS[,NS...]            PARALLELRUN_WATCH_NAMESPACES       namespaces to watch (default: all)
        --prometheus-timeout=DURATION     PARALLELRUN_PROMETHEUS_TIMEOUT     per query, connect to last byte: 5s, 500ms, 1m (default 5s)
        --prometheus-max-answer-bytes=N   PARALLELRUN_PROMETHEUS_MAX_ANSWER_BYTES  larger answers are refused (default 16777216)
        --allowed-proxy-images=P[,P...]   PARALLELRUN_ALLOWED_PROXY_IMAGES   images spec.proxy.image may name besides --proxy-image:
                                                                             exact, or a prefix ending in *
        --allowed-backend-hosts=H[,H...]  PARALLELRUN_ALLOWED_BACKEND_HOSTS  hosts url: backends may use (default any): name,
                                                                             *.domain, IP or CIDR
        --allowed-prometheus-hosts=H,...  PARALLELRUN_ALLOWED_PROMETHEUS_HOSTS  the same, for spec.analysis.prometheus.url
        --analysis-providers=FILE         PARALLELRUN_ANALYSIS_PROVIDERS     YAML/JSON list of named Prometheus-compatible APIs
                                                                             (URL, token/basic auth and CA files, headers,
                                                                             timeout) that spec.analysis.provider names
        --allow-raw-prometheus-url=BOOL   PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL  whether spec.analysis.prometheus.url may be set
                                                                             (default: true without --analysis-providers,
                                                                             false with them)
        --help                                                               this text
        --version                                                            the operator's version
      """;

  public static final String DEFAULT_PROXY_IMAGE = "ghcr.io/parallel-run/parallel-run-proxy:0.1.0";
  public static final int DEFAULT_HEALTH_PORT = 8081;
  public static final Duration DEFAULT_PROMETHEUS_TIMEOUT = Duration.ofSeconds(5);
  public static final String LEASE_NAME = "parallel-run-operator";

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    allowedProxyImages = List.copyOf(allowedProxyImages);
    allowedBackendHosts = List.copyOf(allowedBackendHosts);
    allowedPrometheusHosts = List.copyOf(allowedPrometheusHosts);
    // A bad entry fails at start, naming its flag (fields are not assigned yet in a compact constructor).
    policy(proxyImage, allowedProxyImages, allowedBackendHosts, allowedPrometheusHosts, prometheusUrl,
        allowRawPrometheusUrl);
  }

  /**
   * With no allowlists (only the operator's own proxy image, any host but the always-refused ones) and the default
   * cap on Prometheus answers.
   */
  public OperatorSettings(Optional<String> prometheusUrl, String proxyImage, int healthPort, boolean leaderElection,
      Optional<String> leaderElectionNamespace, Set<String> namespaces, Duration prometheusTimeout) {
    this(prometheusUrl, proxyImage, healthPort, leaderElection, leaderElectionNamespace, namespaces, prometheusTimeout,
        PrometheusClient.DEFAULT_MAX_ANSWER_BYTES, List.of(), List.of(), List.of(), AnalysisProviders.NONE, true);
  }

  /** The policy ParallelRuns must meet before anything is deployed or queried for them. */
  public RunPolicy policy() {
    return policy(proxyImage, allowedProxyImages, allowedBackendHosts, allowedPrometheusHosts, prometheusUrl,
        allowRawPrometheusUrl);
  }

  private static RunPolicy policy(String proxyImage, List<String> allowedProxyImages, List<String> allowedBackendHosts,
      List<String> allowedPrometheusHosts, Optional<String> prometheusUrl, boolean allowRawPrometheusUrl) {
    return new RunPolicy(
        new ImageAllowlist(proxyImage, allowedProxyImages, "--allowed-proxy-images"),
        new HostAllowlist(allowedBackendHosts, "--allowed-backend-hosts"),
        new HostAllowlist(allowedPrometheusHosts, "--allowed-prometheus-hosts"),
        prometheusUrl, allowRawPrometheusUrl);
  }

  public boolean watchAllNamespaces() {
    return namespaces.isEmpty();
  }

  public static OperatorSettings from(String[] args, Map<String, String> env) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + arg);
      int eq = arg.indexOf('=');
      String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      flags.put(key, eq < 0 ? "true" : arg.substring(eq + 1));
    }
    Set<String> known = Set.of("prometheus-url", "proxy-image", "health-port", "leader-election",
        "leader-election-namespace", "namespace", "prometheus-timeout", "prometheus-max-answer-bytes",
        "allowed-proxy-images", "allowed-backend-hosts", "allowed-prometheus-hosts", "analysis-providers",
        "allow-raw-prometheus-url");
    flags.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
      throw new IllegalArgumentException("unknown flag --" + k + "; known: " + known);
    });
    Optional<String> prometheusUrl = setting(flags, env, "prometheus-url", "PARALLELRUN_PROMETHEUS_URL");
    // Fail at start, naming the flag, rather than on every analysis.
    prometheusUrl.ifPresent(url -> PrometheusUrl.parse(url, "--prometheus-url"));
    long maxAnswerBytes = setting(flags, env, "prometheus-max-answer-bytes", "PARALLELRUN_PROMETHEUS_MAX_ANSWER_BYTES")
        .map(v -> number("--prometheus-max-answer-bytes", v)).orElse(PrometheusClient.DEFAULT_MAX_ANSWER_BYTES);
    if (maxAnswerBytes < 1024) {
      throw new IllegalArgumentException("--prometheus-max-answer-bytes: must be at least 1024, was " + maxAnswerBytes);
    }
    Duration timeout = setting(flags, env, "prometheus-timeout", "PARALLELRUN_PROMETHEUS_TIMEOUT")
        .map(v -> Durations.ofFlag("--prometheus-timeout", v)).orElse(DEFAULT_PROMETHEUS_TIMEOUT);
    AnalysisProviders providers = setting(flags, env, "analysis-providers", "PARALLELRUN_ANALYSIS_PROVIDERS")
        .map(file -> AnalysisProviders.load(Path.of(file), timeout, maxAnswerBytes)).orElse(AnalysisProviders.NONE);
    // Where providers are configured, runs use them: a raw URL would bypass their credentials and CA.
    boolean allowRaw = setting(flags, env, "allow-raw-prometheus-url", "PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL")
        .map(v -> bool("--allow-raw-prometheus-url", v)).orElse(providers.isEmpty());
    return new OperatorSettings(
        prometheusUrl,
        setting(flags, env, "proxy-image", "PARALLELRUN_PROXY_IMAGE").orElse(DEFAULT_PROXY_IMAGE),
        setting(flags, env, "health-port", "PARALLELRUN_HEALTH_PORT").map(v -> port("--health-port", v))
            .orElse(DEFAULT_HEALTH_PORT),
        setting(flags, env, "leader-election", "PARALLELRUN_LEADER_ELECTION").map(Boolean::parseBoolean).orElse(false),
        setting(flags, env, "leader-election-namespace", "PARALLELRUN_LEADER_ELECTION_NAMESPACE"),
        Set.copyOf(list(flags, env, "namespace", "PARALLELRUN_WATCH_NAMESPACES")),
        timeout,
        maxAnswerBytes,
        list(flags, env, "allowed-proxy-images", "PARALLELRUN_ALLOWED_PROXY_IMAGES"),
        list(flags, env, "allowed-backend-hosts", "PARALLELRUN_ALLOWED_BACKEND_HOSTS"),
        list(flags, env, "allowed-prometheus-hosts", "PARALLELRUN_ALLOWED_PROMETHEUS_HOSTS"),
        providers,
        allowRaw);
  }

  /** Strict: a typo in a security setting must not silently mean false (or true). */
  static boolean bool(String flag, String value) {
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(flag + ": '" + value + "' is neither true nor false");
  }

  static long number(String flag, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number");
    }
  }

  static int port(String flag, String value) {
    long port = number(flag, value);
    if (port < 0 || port > 65535) throw new IllegalArgumentException(flag + ": " + port + " is not a port (0-65535)");
    return (int) port;
  }

  /** A comma-separated setting; blanks between commas are ignored. */
  private static List<String> list(Map<String, String> flags, Map<String, String> env, String flag, String var) {
    return setting(flags, env, flag, var)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList())
        .orElse(List.of());
  }

  private static Optional<String> setting(Map<String, String> flags, Map<String, String> env, String flag, String var) {
    String value = flags.get(flag);
    if (value == null) value = env.get(var);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
