package io.parallelrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmarks' backend still starts on 127.0.0.1 and answers one request with its JSON, after its delay. */
class SlowBackendTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void answersTheLargeDocumentAfterTheDelay() throws Exception {
    try (SlowBackend backend = SlowBackend.start(0, 200)) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/items/32k"))
          .timeout(Duration.ofSeconds(10)).build();
      // The first request also pays for the connection and the JIT, which alone can take 200 ms: the second,
      // on the kept-alive connection, takes about the delay.
      client.send(request, HttpResponse.BodyHandlers.discarding());
      long start = System.nanoTime();
      HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(answer.body()).startsWith("{\"items\": [{\"id\": 0,").endsWith("}").hasSizeGreaterThanOrEqualTo(32 * 1024);
      assertThat(elapsedMs).isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void answersTheSmallDocumentForAnyOtherPath() throws Exception {
    try (SlowBackend backend = SlowBackend.start(0, 0)) {
      HttpResponse<String> answer = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/other/1k"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).hasSizeBetween(1024, 2 * 1024).isEqualTo(SlowBackend.SMALL.toString());
    }
  }

  @Test
  void aPriceChangesEveryItemsPriceAndNothingElse() throws Exception {
    try (SlowBackend backend = SlowBackend.start(0, 0, "13")) {
      HttpResponse<String> answer = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/items/1k"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());

      String usual = SlowBackend.SMALL.toString();
      assertThat(answer.body()).isNotEqualTo(usual).doesNotContain("\"price\": 12.5")
          .isEqualTo(usual.replace("\"price\": 12.5", "\"price\": 13"));
    }
  }
}
