package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.proxy.ProxyOptions;
import io.parallelrun.proxy.ProxyServer;
import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.source.ManifestFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diff --proxy-url against the real proxy, in-process on 127.0.0.1, in front of a legacy and a candidate (the
 * JDK's HTTP server) whose answers differ in a total, in a card number the run redacts, and in a header. What the
 * plugin shows is what the proxy kept: the total's change, a redacted card, the path template, never a secret.
 */
class DiffFromStandaloneProxyTest {
  static final String SECRET_CARD_LEGACY = "4111-1111-LEGACY-SECRET";
  static final String SECRET_CARD_CANDIDATE = "4111-1111-CANDIDATE-SECRET";
  static final String SECRET_QUERY = "token=QUERY-SECRET";
  /** A JSON key a hostile candidate chose: escape sequences that retitle and clear the reader's terminal. */
  static final String HOSTILE_KEY = "\\u001b]2;pwned\\u0007\\u001b[2J\\u009b31m";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  static HttpServer legacy;
  static HttpServer candidate;
  static ProxyServer proxy;

  @BeforeAll
  static void start() throws Exception {
    legacy = backend("{\"id\": 1, \"total\": 10, \"card\": \"" + SECRET_CARD_LEGACY + "\"}", "legacy", "{\"id\": 1}");
    candidate = backend("{\"id\": 1, \"total\": 12, \"card\": \"" + SECRET_CARD_CANDIDATE + "\"}", "candidate",
        "{\"id\": 1, \"" + HOSTILE_KEY + "\": 2}");
    String manifest = """
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata: {name: shop, namespace: team-a}
        spec:
          legacy: {url: "http://127.0.0.1:%d"}
          candidate: {url: "http://127.0.0.1:%d"}
          dataProtection: {redactJsonPaths: ["$.card"]}
          endpoints:
            - {name: get-order, method: GET, path: "/orders/{id}"}
            - {name: list-orders, method: GET, path: "/orders"}
            - {name: get-hostile, method: GET, path: "/hostile/{id}"}
        """.formatted(legacy.getAddress().getPort(), candidate.getAddress().getPort());
    ProxyOptions options = ProxyOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--event-loops", "1", "--shadow-event-loops", "1", "--compare-threads", "1"}, Map.of());
    proxy = new ProxyServer(options, BackendResolver.urlsOnly(), RouteDecider.threadLocalRandom());
    proxy.tables().apply(ManifestFile.parse(manifest, "test"));
    proxy.start();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + proxy.port() + "/orders/98765" + i + "?" + SECRET_QUERY)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    HttpResponse<String> hostile = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + proxy.port() + "/hostile/1")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(hostile.statusCode()).isEqualTo(200);
    // Comparisons run off the client's path: wait until the proxy holds the four samples.
    await().atMost(Duration.ofSeconds(10)).until(() -> admin("/mismatches").split("\"time\"").length - 1 == 4);
  }

  static HttpServer backend(String body, String side, String hostileBody) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hostile/", exchange -> {
      byte[] bytes = hostileBody.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.createContext("/", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Side", side);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server;
  }

  static String admin(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  static String adminUrl() {
    return "http://127.0.0.1:" + proxy.adminPort();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) proxy.close();
    if (legacy != null) legacy.stop(0);
    if (candidate != null) candidate.stop(0);
  }

  @Test
  void showsTheProxysRedactedSamplesNewestFirst() {
    Cli cli = Cli.run("diff", "shop", "get-order", "--proxy-url", adminUrl());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).startsWith("parallelrun shop, endpoint get-order: 3 samples from " + adminUrl()
        + ", newest first, redacted by the proxy\n");
    assertThat(cli.out()).contains("GET /orders/{id}  answered by legacy  differs in ", "replace /body/total: 10 -> 12",
        "replace /body/card: \"[REDACTED:", "replace /headers/x-side/0: \"legacy\" -> \"candidate\"");
    assertThat(cli.out()).doesNotContain("SECRET", "98765", "token=");
  }

  @Test
  void jsonCarriesEverySampleWithItsSourceNewestFirst() throws Exception {
    Cli cli = Cli.run("diff", "shop", "get-order", "--proxy-url", adminUrl() + "/", "-o", "json");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).doesNotContain("SECRET", "98765");
    JsonNode report = Serialization.jsonMapper().readTree(cli.out());
    assertThat(report.path("endpoint").asText()).isEqualTo("get-order");
    assertThat(report.path("total").asInt()).isEqualTo(3);
    List<String> times = report.path("samples").findValuesAsText("time");
    assertThat(times).hasSize(3).isSortedAccordingTo((a, b) -> java.time.Instant.parse(b).compareTo(java.time.Instant.parse(a)));
    for (JsonNode sample : report.path("samples")) {
      assertThat(sample.path("source").asText()).isEqualTo(adminUrl() + "/");
      assertThat(sample.path("path").asText()).isEqualTo("/orders/{id}");
    }
  }

  @Test
  void limitKeepsTheNewest() throws Exception {
    JsonNode all = Serialization.jsonMapper().readTree(
        Cli.run("diff", "shop", "get-order", "--proxy-url", adminUrl(), "-o", "json").out());
    Cli cli = Cli.run("diff", "shop", "get-order", "--proxy-url", adminUrl(), "-o", "yaml", "--limit", "1");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    JsonNode newest = OutputFormat.YAML.readTree(cli.out());
    assertThat(newest.path("total").asInt()).isEqualTo(3);
    assertThat(newest.path("samples")).hasSize(1);
    assertThat(newest.path("samples").get(0).path("time")).isEqualTo(all.path("samples").get(0).path("time"));
  }

  /** The text goes to a terminal: what a backend chose (a JSON key in a diff path) cannot drive it. */
  @Test
  void controlCharactersFromABackendAreShownEscapedNotSentToTheTerminal() {
    Cli cli = Cli.run("diff", "shop", "get-hostile", "--proxy-url", adminUrl());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("add /body/\\u001b]2;pwned\\u0007\\u001b[2J\\u009b31m: 2");
    assertThat(cli.out().chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)))
        .as("control characters in the text output").isEmpty();
  }

  @Test
  void anEndpointWithoutSamplesSaysWhichHaveSome() {
    Cli cli = Cli.run("diff", "shop", "list-orders", "--proxy-url", adminUrl());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).isEqualTo("parallelrun shop, endpoint list-orders: no mismatch samples from " + adminUrl()
        + " (samples exist for: get-hostile, get-order)\n");
  }

  /** The proxy's refusal (403 off loopback without the token) is passed on, and the token file is what is sent. */
  @Test
  void aRefusalQuotesTheProxyAndTheTokenComesFromTheFile(@TempDir Path dir) throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer guarded = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    guarded.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      boolean allowed = "Bearer s3cret-token".equals(auth);
      byte[] body = (allowed ? "{\"endpoints\":{}}" : "/mismatches answers only loopback or the admin token\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(allowed ? 200 : 403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    guarded.start();
    try {
      String url = "http://127.0.0.1:" + guarded.getAddress().getPort();
      Cli refused = Cli.run("diff", "shop", "get-order", "--proxy-url", url);
      assertThat(refused.exitCode()).isEqualTo(KubectlParallelRun.ERROR);
      assertThat(refused.err()).isEqualTo("error: " + url + ": /mismatches answered 403: "
          + "/mismatches answers only loopback or the admin token\n");

      Path token = Files.writeString(dir.resolve("token"), "  s3cret-token\n");
      Cli allowed = Cli.run("diff", "shop", "get-order", "--proxy-url", url, "--admin-token-file", token.toString());
      assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
      assertThat(authorizations).containsExactly("null", "Bearer s3cret-token");

      Cli empty = Cli.run("diff", "shop", "get-order", "--proxy-url", url, "--admin-token-file",
          Files.writeString(dir.resolve("empty"), "\n").toString());
      assertThat(empty.exitCode()).isEqualTo(KubectlParallelRun.ERROR);
      assertThat(empty.err()).contains("--admin-token-file: ").contains("is empty");
    } finally {
      guarded.stop(0);
    }
  }
}
