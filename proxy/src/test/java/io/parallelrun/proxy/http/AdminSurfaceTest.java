package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelrun.proxy.ProxyOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read /mismatches: connections from loopback (kubectl port-forward arrives there), or a request with the
 * admin token. A cluster neighbour is played by a client bound to 127.0.0.3 (Linux routes all of 127/8 to lo).
 */
class AdminSurfaceTest extends ProxyTestBase {
  static final String NEIGHBOUR = "127.0.0.3";
  static final String TOKEN = "s3cret-admin-token";

  @TempDir
  Path dir;
  HttpClient neighbour;
  HttpClient local;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  @BeforeEach
  void clients() {
    neighbour = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(NEIGHBOUR).setKeepAlive(false));
    local = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void closeClients() throws Exception {
    neighbour.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    local.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  record Answer(int status, String body) {}

  private Answer get(HttpClient client, String path, String authorization) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(proxy.server.adminPort()).setURI(path).setTimeout(10_000);
    if (authorization != null) options.putHeader("Authorization", authorization);
    return client.request(options)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString()))))
        .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private void start(String... flags) throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", """
          - name: get-order
            method: GET
            path: /orders/{id}
        """, ""), flags);
  }

  private Path tokenFile(String content) throws Exception {
    return Files.writeString(dir.resolve("token"), content);
  }

  @Test
  void mismatchesAnswerLoopbackAndTheTokenOnly() throws Exception {
    start("--admin-token-file", tokenFile(TOKEN + "\n").toString());

    Answer refused = get(neighbour, "/mismatches", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("/mismatches", "loopback", "Authorization: Bearer", "--admin-token-file");
    assertThat(get(neighbour, "/mismatches", "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(get(neighbour, "/mismatches", "Bearer " + TOKEN).body()).isEqualTo("{\"endpoints\":{}}");
    assertThat(get(neighbour, "/mismatches", "Bearer wrong-token").status()).isEqualTo(403);
    assertThat(get(neighbour, "/mismatches", "Bearer " + TOKEN + "x").status()).isEqualTo(403);
    assertThat(get(neighbour, "/mismatches", "Bearer").status()).isEqualTo(403);
    assertThat(get(neighbour, "/mismatches", TOKEN).status()).isEqualTo(403); // not a Bearer credential
    assertThat(get(neighbour, "/mismatches?x=1", null).status()).isEqualTo(403);
    assertThat(get(local, "/mismatches", null).status()).isEqualTo(200);
    assertThat(get(local, "/mismatches", "Bearer wrong-token").status()).isEqualTo(200); // loopback needs none
  }

  @Test
  void withoutATokenFileOnlyLoopbackReadsMismatches() throws Exception {
    start();
    Answer refused = get(neighbour, "/mismatches", "Bearer anything");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("no --admin-token-file");
    assertThat(get(local, "/mismatches", null).status()).isEqualTo(200);
  }

  @Test
  void probesAndMetricsStayOpenToNeighbours() throws Exception {
    start("--admin-token-file", tokenFile(TOKEN).toString());
    assertThat(get(neighbour, "/metrics", null).status()).isEqualTo(200);
    assertThat(get(neighbour, "/healthz", null).status()).isEqualTo(200);
    assertThat(get(neighbour, "/readyz", null).status()).isEqualTo(200);
  }

  @Test
  void aMissingOrEmptyTokenFileIsRefusedAtStartNamingTheFlag() throws Exception {
    Path missing = dir.resolve("absent");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--admin-token-file", missing.toString()}, Map.of()))
        .hasMessageContaining("--admin-token-file").hasMessageContaining(missing.toString());
    Path empty = tokenFile(" \n");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--admin-token-file", empty.toString()}, Map.of()))
        .hasMessageContaining("--admin-token-file").hasMessageContaining("empty");
  }
}
