package io.parallelrun.operator.observe.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parallelrun.api.Durations;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.operator.observe.PrometheusUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The analysis providers of the operator's {@code --analysis-providers} file (YAML or JSON), a list such as
 *
 * <pre>
 * - name: mimir                                    # what spec.analysis.provider names
 *   url: https://mimir.monitoring:8080/prometheus
 *   bearerTokenFile: /etc/parallel-run/providers/mimir/token   # or basicAuth: {username, passwordFile}
 *   caFile: /etc/parallel-run/providers/mimir/ca.crt
 *   headers: {X-Scope-OrgID: payments}
 *   timeout: 10s                                   # default: --prometheus-timeout
 * </pre>
 *
 * Read once at start, where every mistake stops the operator with a message naming the provider and the field:
 * a file that is missing or empty now would fail every query later. Credentials and CA files are read again
 * on each use (see {@link MountedFile}, {@link CaBundleClients}).
 */
public final class AnalysisProviders {
  public static final AnalysisProviders NONE = new AnalysisProviders(Map.of());

  private static final Set<String> FIELDS = Set.of("name", "url", "bearerTokenFile", "basicAuth", "caFile", "headers", "timeout");
  private static final Set<String> BASIC_AUTH_FIELDS = Set.of("username", "passwordFile");
  private static final String FLAG = "--analysis-providers";

  private final Map<String, AnalysisProvider> byName;

  private AnalysisProviders(Map<String, AnalysisProvider> byName) {
    this.byName = Map.copyOf(byName);
  }

  public Optional<AnalysisProvider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return new java.util.TreeSet<>(byName.keySet());
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  /** For the operator's start line: names, URLs, where credentials come from; never a credential. */
  @Override
  public String toString() {
    return byName.values().toString();
  }

  /**
   * @param defaultTimeout the operator's --prometheus-timeout, for providers without their own
   * @throws IllegalArgumentException naming the flag, the provider and the field
   */
  public static AnalysisProviders load(Path file, Duration defaultTimeout, long maxAnswerBytes) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(FLAG + ": cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || root.isMissingNode() || root.isNull()) return NONE;
    if (!root.isArray()) throw new IllegalArgumentException(FLAG + ": " + file + " must hold a list of providers");
    Map<String, AnalysisProvider> byName = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode entry : root) {
      AnalysisProvider provider = parse(entry, index++, defaultTimeout, maxAnswerBytes);
      if (byName.putIfAbsent(provider.name(), provider) != null) {
        throw new IllegalArgumentException(FLAG + ": provider " + provider.name() + ": name: defined twice");
      }
    }
    return new AnalysisProviders(byName);
  }

  private static AnalysisProvider parse(JsonNode entry, int index, Duration defaultTimeout, long maxAnswerBytes) {
    if (!entry.isObject()) throw invalid("#" + index, "", "must be a mapping with name, url, ...");
    String name = text(entry, "name", "#" + index);
    if (name == null) throw invalid("#" + index, "name", "is required");
    if (!name.matches(SpecDefaults.ANALYSIS_PROVIDER_PATTERN) || name.length() > 63) {
      throw invalid(name, "name", "must be lowercase letters, digits and '-' (a DNS label, as spec.analysis.provider)");
    }
    unknownFields(entry, FIELDS, name, "");
    String urlText = text(entry, "url", name);
    if (urlText == null) throw invalid(name, "url", "is required");
    PrometheusUrl url = PrometheusUrl.parse(urlText, FLAG + ": provider " + name + ": url");
    Credentials credentials = credentials(entry, name);
    Optional<Path> caFile = Optional.ofNullable(text(entry, "caFile", name)).map(Path::of);
    Duration timeout = Optional.ofNullable(text(entry, "timeout", name)).map(t -> timeout(name, t)).orElse(defaultTimeout);
    Map<String, String> headers = headers(entry, name);

    // Read everything once now: a missing Secret mount fails the start, naming what is missing.
    try {
      credentials.authorization();
    } catch (IOException e) {
      throw invalid(name, credentials.field(), e.getMessage());
    }
    CaBundleClients clients = new CaBundleClients(caFile, timeout, maxAnswerBytes);
    try {
      clients.client();
    } catch (IOException e) {
      throw invalid(name, "caFile", e.getMessage());
    }
    return new AnalysisProvider(name, url, credentials, headers, timeout, clients);
  }

  private static Credentials credentials(JsonNode entry, String name) {
    String tokenFile = text(entry, "bearerTokenFile", name);
    JsonNode basic = entry.get("basicAuth");
    if (tokenFile != null && basic != null) throw invalid(name, "basicAuth", "and bearerTokenFile are mutually exclusive");
    if (tokenFile != null) return new Credentials.BearerToken(new MountedFile(Path.of(tokenFile)));
    if (basic == null) return new Credentials.None();
    if (!basic.isObject()) throw invalid(name, "basicAuth", "must be a mapping with username and passwordFile");
    unknownFields(basic, BASIC_AUTH_FIELDS, name, "basicAuth.");
    String username = text(basic, "username", name);
    String passwordFile = text(basic, "passwordFile", name);
    if (username == null) throw invalid(name, "basicAuth.username", "is required");
    if (username.contains(":") || HeaderRules.hasControlCharacter(username)) {
      throw invalid(name, "basicAuth.username", "must not contain ':' or a control character");
    }
    if (passwordFile == null) throw invalid(name, "basicAuth.passwordFile", "is required");
    return new Credentials.BasicAuth(username, new MountedFile(Path.of(passwordFile)));
  }

  private static Map<String, String> headers(JsonNode entry, String name) {
    JsonNode node = entry.get("headers");
    Map<String, String> headers = new LinkedHashMap<>();
    if (node == null || node.isNull()) return headers;
    if (!node.isObject()) throw invalid(name, "headers", "must be a mapping of header name to value");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      if (!header.getValue().isValueNode() || header.getValue().isNull()) {
        throw invalid(name, "headers", header.getKey() + ": the value must be a string");
      }
      String value = header.getValue().asText();
      String problem = HeaderRules.problem(header.getKey(), value);
      if (problem != null) throw invalid(name, "headers", problem);
      headers.put(header.getKey(), value);
    }
    return headers;
  }

  private static Duration timeout(String name, String text) {
    try {
      Duration timeout = Durations.parse(text);
      if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("'" + text + "' must be more than 0s and at most 5m");
      }
      return timeout;
    } catch (IllegalArgumentException e) {
      throw invalid(name, "timeout", e.getMessage());
    }
  }

  private static String text(JsonNode entry, String field, String name) {
    JsonNode node = entry.get(field);
    if (node == null || node.isNull()) return null;
    if (!node.isTextual() || node.asText().isBlank()) throw invalid(name, field, "must be a non-empty string");
    return node.asText().trim();
  }

  private static void unknownFields(JsonNode node, Set<String> known, String name, String prefix) {
    node.fieldNames().forEachRemaining(field -> {
      if (!known.contains(field)) {
        throw invalid(name, prefix + field, "unknown field; known: " + new java.util.TreeSet<>(known));
      }
    });
  }

  private static IllegalArgumentException invalid(String provider, String field, String problem) {
    return new IllegalArgumentException(FLAG + ": provider " + provider + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
  }
}
