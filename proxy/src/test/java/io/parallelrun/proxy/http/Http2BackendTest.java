package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backends with {@code protocol: HTTP2}: the proxy speaks h2c to them, for answers and shadows alike. */
class Http2BackendTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: get-order
          method: GET
          path: /orders/{id}
        - name: search
          method: POST
          path: /search
          mirror: true
      """;
  static final String CUT_OVER = """
        - name: get-order
          weight: 100
        - name: search
          weight: 100
      """;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  private void start(String legacyUrl, String candidateUrl, String status) throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacyUrl, candidateUrl, "", ENDPOINTS, status));
  }

  private static String http2(String url) {
    return url + "\n    protocol: HTTP2";
  }

  @Test
  void shadowsReachAnHttp2CandidateOverHttp2AndItsAnswersMatchLegacysOverHttp1() throws Exception {
    start(legacy.url(), http2(candidate.url()), "");
    proxy.assertOrdersAnswered(20);
    // Header names arrive lower-case over HTTP/2 and with their case over HTTP/1.1: still a match.
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 20);
    assertThat(proxy.totalComparisons("get-order")).isEqualTo(20);
    assertThat(candidate.received).hasSize(20).allSatisfy(r -> {
      assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r.headers().get("X-Parallel-Run")).isEqualTo("shadow");
    });
    assertThat(legacy.received).hasSize(20).allSatisfy(r -> assertThat(r.version()).isEqualTo(HttpVersion.HTTP_1_1));
  }

  @Test
  void anHttp2CandidateThatAnswersRelaysItsAnswerAndReceivesRequestBodies() throws Exception {
    start(legacy.url(), http2(candidate.url()), CUT_OVER);
    HttpResponse<String> got = proxy.get("/orders/7");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(got.body()).isEqualTo("{\"path\":\"/orders/7\",\"len\":0}");

    String body = "{\"q\":\"" + "x".repeat(100_000) + "\"}";
    HttpResponse<String> searched = proxy.send("POST", "/search", body);
    assertThat(searched.statusCode()).isEqualTo(200);
    assertThat(searched.body()).isEqualTo("{\"path\":\"/search\",\"len\":" + body.length() + "}");

    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1
        && proxy.comparisons("search", "matched") == 1);
    assertThat(proxy.answered("get-order", "candidate")).isEqualTo(1);
    assertThat(candidate.received).allSatisfy(r -> assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2));
    assertThat(legacy.received).filteredOn(r -> r.method().equals("POST")).singleElement()
        .satisfies(r -> assertThat(r.body().length()).isEqualTo(body.length()));
  }

  @Test
  void manyLargeAnswersAtOnceShareTheHttp2ConnectionsWithoutLoss() throws Exception {
    String large = "{\"items\":\"" + "y".repeat(64 * 1024) + "\"}";
    candidate.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").end(large));
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").end(large));
    start(legacy.url(), http2(candidate.url()), CUT_OVER);
    assertThat(proxy.getOrdersAtOnce(50, Duration.ofSeconds(20))).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(large);
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "matched") == 50);
    assertThat(proxy.answered("get-order", "candidate")).isEqualTo(50);
  }

  @Test
  void overHttpsHttp2IsNegotiatedWithAlpn(@TempDir Path dir) throws Exception {
    // A certificate for 127.0.0.1 (keytool, from the JDK running the test), trusted by the proxy's JVM through the
    // standard trust-store properties, which the JDK reads again when they change; restored afterwards.
    Path store = dir.resolve("backend.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-alias", "backend", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    assertThat(Files.exists(store)).isTrue();
    List<HttpVersion> versions = new CopyOnWriteArrayList<>();
    HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setUseAlpn(true).setKeyCertOptions(new PfxOptions().setPath(store.toString()).setPassword("changeit")))
        .requestHandler(req -> {
          versions.add(req.version());
          TestBackend.json("candidate").accept(req, Buffer.buffer());
        })
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String[] keys = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
    String[] saved = new String[keys.length];
    for (int i = 0; i < keys.length; i++) saved[i] = System.getProperty(keys[i]);
    try {
      System.setProperty(keys[0], store.toString());
      System.setProperty(keys[1], "changeit");
      System.setProperty(keys[2], "PKCS12");
      start(legacy.url(), http2("https://127.0.0.1:" + tls.actualPort()), "");
      proxy.assertOrdersAnswered(5);
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 5);
      assertThat(versions).hasSize(5).containsOnly(HttpVersion.HTTP_2);
    } finally {
      for (int i = 0; i < keys.length; i++) {
        if (saved[i] == null) System.clearProperty(keys[i]); else System.setProperty(keys[i], saved[i]);
      }
      tls.close();
    }
  }

  @Test
  void aCandidateDeclaredHttp2ThatSpeaksOnlyHttp1CountsAsFailedAndLegacyAnswers() throws Exception {
    try (TestBackend http1Only = TestBackend.startHttp1Only(vertx, TestBackend.json("candidate"))) {
      start(legacy.url(), http2(http1Only.url()), "");
      proxy.assertOrdersAnswered(5);
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "failed") == 5);
      assertThat(proxy.comparisons("get-order", "unmatched")).isZero();

      // Cut over: the candidate cannot answer, so legacy does (the request never reached a stream).
      proxy.apply(ProxyFixture.manifest(legacy.url(), http2(http1Only.url()), "", ENDPOINTS, CUT_OVER));
      HttpResponse<String> r = proxy.get("/orders/9");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"path\":\"/orders/9\",\"len\":0}");
      assertThat(proxy.fallbacks("get-order")).isEqualTo(1);
      assertThat(http1Only.received).isEmpty();
    }
  }
}
