package io.parallelrun.operator.observe.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.parallelrun.operator.observe.PrometheusClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The --analysis-providers file: what it accepts, every mistake stopping the start with the provider and the field
 * named, and what a provider sends (credentials re-read from their files, extra headers), to a real HTTP server.
 */
class AnalysisProvidersTest {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  static final long CAP = PrometheusClient.DEFAULT_MAX_ANSWER_BYTES;

  @TempDir
  Path dir;

  Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  AnalysisProviders load(String yaml) throws IOException {
    // {dir} stands for the test's directory, where the token, password and CA files are.
    return AnalysisProviders.load(write("providers.yaml", yaml.replace("{dir}", dir.toString())), DEFAULT_TIMEOUT, CAP);
  }

  @Test
  void readsNamedProvidersWithTheirUrlHeadersAndTimeout() throws IOException {
    write("token", "t0ken\n");
    write("password", "pw");
    AnalysisProviders providers = load("""
        - name: mimir
          url: https://mimir.monitoring:8080/prometheus/
          bearerTokenFile: {dir}/token
          headers: {X-Scope-OrgID: payments}
          timeout: 10s
        - name: thanos
          url: http://thanos-query.monitoring:9090
          basicAuth: {username: operator, passwordFile: {dir}/password}
        - {name: plain, url: "http://prometheus.monitoring:9090"}
        """);
    assertThat(providers.names()).containsExactly("mimir", "plain", "thanos");
    AnalysisProvider mimir = providers.find("mimir").orElseThrow();
    assertThat(mimir.url()).hasToString("https://mimir.monitoring:8080/prometheus");
    assertThat(mimir.headers()).containsExactly(Map.entry("X-Scope-OrgID", "payments"));
    assertThat(mimir.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(providers.find("thanos").orElseThrow().timeout()).as("--prometheus-timeout").isEqualTo(DEFAULT_TIMEOUT);
    assertThat(providers.find("nope")).isEmpty();
    assertThat(providers.toString()).as("the start line shows where credentials come from, never them")
        .contains("mimir", "bearerTokenFile", "basicAuth.passwordFile").doesNotContain("t0ken", "pw,", "pw)");
  }

  @Test
  void anEmptyFileConfiguresNoProvider() throws IOException {
    assertThat(load("").isEmpty()).isTrue();
    assertThat(load("[]").isEmpty()).isTrue();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        // file content, the error's text after "--analysis-providers: "
        Arguments.of("{name: a, url: 'http://p:9090'}", "{dir}/providers.yaml must hold a list of providers"),
        Arguments.of("- {url: 'http://p:9090'}", "provider #0: name: is required"),
        Arguments.of("- {name: Mimir, url: 'http://p:9090'}", "provider Mimir: name: must be lowercase"),
        Arguments.of("- {name: a}", "provider a: url: is required"),
        Arguments.of("- {name: a, url: 'http://user:pw@p:9090'}", "provider a: url: must not carry user info"),
        Arguments.of("- {name: a, url: 'ftp://p'}", "provider a: url: must use http or https"),
        Arguments.of("- {name: a, url: 'http://p:9090', bearerTokenFile: '{dir}/missing'}",
            "provider a: bearerTokenFile: {dir}/missing: no such file (is the Secret mounted there?)"),
        Arguments.of("- {name: a, url: 'http://p:9090', basicAuth: {username: u, passwordFile: '{dir}/missing'}}",
            "provider a: basicAuth.passwordFile: {dir}/missing: no such file"),
        Arguments.of("- {name: a, url: 'http://p:9090', basicAuth: {username: u}}", "provider a: basicAuth.passwordFile: is required"),
        Arguments.of("- {name: a, url: 'http://p:9090', basicAuth: {username: 'u:v', passwordFile: '{dir}/token'}}",
            "provider a: basicAuth.username: must not contain ':'"),
        Arguments.of("- {name: a, url: 'http://p:9090', bearerTokenFile: '{dir}/token', basicAuth: {username: u, passwordFile: '{dir}/token'}}",
            "provider a: basicAuth: and bearerTokenFile are mutually exclusive"),
        Arguments.of("- {name: a, url: 'http://p:9090', bearerTokenFile: '{dir}/multiline'}",
            "provider a: bearerTokenFile: {dir}/multiline: holds a line break or control character"),
        Arguments.of("- {name: a, url: 'http://p:9090', bearerTokenFile: '{dir}/empty'}", "provider a: bearerTokenFile: {dir}/empty: empty"),
        Arguments.of("- {name: a, url: 'https://p:9090', caFile: '{dir}/missing-ca'}", "provider a: caFile: {dir}/missing-ca: no such file"),
        Arguments.of("- {name: a, url: 'https://p:9090', caFile: '{dir}/token'}", "provider a: caFile: {dir}/token: not a PEM certificate bundle"),
        Arguments.of("- {name: a, url: 'http://p:9090', headers: {X-Scope-OrgID: \"a\\r\\nX-Evil: 1\"}}",
            "provider a: headers: X-Scope-OrgID: the value holds a line break or control character"),
        Arguments.of("- {name: a, url: 'http://p:9090', headers: {\"X Bad\": v}}", "provider a: headers: 'X Bad' is not a header name"),
        Arguments.of("- {name: a, url: 'http://p:9090', headers: {Authorization: 'Bearer x'}}",
            "provider a: headers: Authorization is set by the operator; use bearerTokenFile or basicAuth"),
        Arguments.of("- {name: a, url: 'http://p:9090', headers: {Host: evil}}", "provider a: headers: Host is set by the operator"),
        Arguments.of("- {name: a, url: 'http://p:9090', headers: {X-Scope-OrgID: [a, b]}}", "provider a: headers: X-Scope-OrgID: the value must be a string"),
        Arguments.of("- {name: a, url: 'http://p:9090', timeout: 5}", "provider a: timeout: must be a non-empty string"),
        Arguments.of("- {name: a, url: 'http://p:9090', timeout: 0s}", "provider a: timeout: '0s' must be more than 0s and at most 5m"),
        Arguments.of("- {name: a, url: 'http://p:9090', token: x}", "provider a: token: unknown field"),
        Arguments.of("- {name: a, url: 'http://p:9090'}\n- {name: a, url: 'http://q:9090'}", "provider a: name: defined twice"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource
  void mistakes(String yaml, String expected) throws IOException {
    write("token", "t0ken");
    write("multiline", "t0ken\nX-Evil: 1");
    write("empty", "\n");
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--analysis-providers: " + expected.replace("{dir}", dir.toString()));
  }

  @Test
  void aMissingProvidersFileIsNamed() {
    assertThatThrownBy(() -> AnalysisProviders.load(dir.resolve("nope.yaml"), DEFAULT_TIMEOUT, CAP))
        .hasMessageStartingWith("--analysis-providers: cannot read " + dir.resolve("nope.yaml"));
  }

  /** A query API on 127.0.0.1 giving this answer, recording the Authorization and X-Scope-OrgID it receives. */
  static HttpServer serve(int status, String answer, Map<String, String> received) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", ex -> {
      received.put("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      received.put("org", String.valueOf(ex.getRequestHeaders().getFirst("X-Scope-OrgID")));
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  /** A real server records what arrives; the token file is rewritten between queries, as a rotated Secret is. */
  @Test
  void sendsCredentialsReadFromTheirFilesOnEachQueryAndTheExtraHeaders() throws Exception {
    Map<String, String> received = new ConcurrentHashMap<>();
    HttpServer server = serve(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", received);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      Path token = write("token", "first\n");
      write("password", "s3cret");
      AnalysisProviders providers = load("""
          - {name: mimir, url: "%s", bearerTokenFile: {dir}/token, headers: {X-Scope-OrgID: payments}}
          - {name: thanos, url: "%s", basicAuth: {username: operator, passwordFile: {dir}/password}}
          """.formatted(url, url));

      AnalysisProvider mimir = providers.find("mimir").orElseThrow();
      assertThat(mimir.query("up")).isEmpty();
      assertThat(received).containsEntry("authorization", "Bearer first").containsEntry("org", "payments");

      Files.writeString(token, "second\n"); // the Secret was rotated
      mimir.query("up");
      assertThat(received).containsEntry("authorization", "Bearer second");

      providers.find("thanos").orElseThrow().query("up");
      assertThat(received).containsEntry("authorization",
          "Basic " + Base64.getEncoder().encodeToString("operator:s3cret".getBytes(StandardCharsets.UTF_8)));

      Files.delete(token); // the Secret is gone: status names the provider, the log gets the path
      assertThatThrownBy(() -> mimir.query("up")).isInstanceOfSatisfying(PrometheusClient.QueryException.class, e -> {
        assertThat(e.reason()).isEqualTo("ProviderMisconfigured");
        assertThat(e.statusMessage()).isEqualTo("analysis provider mimir: its credentials or CA bundle cannot be read (see the operator's log)");
        assertThat(e.getMessage()).contains(token.toString(), "no such file");
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anErrorAnswerIsToldInTheFixedVocabularyPrefixedWithTheProvider() throws Exception {
    HttpServer server = serve(401, "invalid token for tenant payments; try admin:admin", new ConcurrentHashMap<>());
    try {
      AnalysisProviders providers = load("- {name: mimir, url: 'http://127.0.0.1:%d'}".formatted(server.getAddress().getPort()));
      assertThatThrownBy(() -> providers.find("mimir").orElseThrow().query("up"))
          .isInstanceOfSatisfying(PrometheusClient.QueryException.class, e -> {
            assertThat(e.reason()).isEqualTo("QueryFailed");
            assertThat(e.statusMessage()).isEqualTo("analysis provider mimir: Prometheus answered HTTP 401");
          });
    } finally {
      server.stop(0);
    }
  }

}
