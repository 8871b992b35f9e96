package io.parallelrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmarks' plain Netty proxy still starts on 127.0.0.1 and forwards requests and answers whole. */
class NettyPlainProxyTest {
  @Test
  void forwardsRequestsOnOneKeptAliveConnection() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    try (SlowBackend backend = SlowBackend.start(0, 0);
        NettyPlainProxy proxy = NettyPlainProxy.start(0, backend.port())) {
      for (String path : new String[] {"/items/32k", "/items/1k"}) {
        HttpResponse<String> answer = client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        assertThat(answer.body()).as(path)
            .isEqualTo((path.endsWith("32k") ? SlowBackend.LARGE : SlowBackend.SMALL).toString());
      }
    }
  }
}
