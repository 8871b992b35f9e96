package io.parallelrun.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The liveness probe must keep answering whatever other clients of the port do: when it did not, one stalled
 * connection made the kubelet restart a healthy operator.
 */
class HealthServerTest {
  KubernetesClient client;
  Operator operator;
  final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void operatorNotStarted() {
    // Never connected to: the operator is not started, so only its RuntimeInfo is used.
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
  }

  @AfterEach
  void close() throws IOException {
    for (Socket s : stalled) s.close();
    client.close();
  }

  @Test
  void stalledConnectionsNeitherBlockHealthzNorStayOpen() throws Exception {
    try (HealthServer health = new HealthServer(0, operator.getRuntimeInfo(), () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), health.port());
        OutputStream out = s.getOutputStream();
        // Half a request, never finished.
        out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        stalled.add(s);
      }

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + health.port() + "/healthz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok\n");
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + health.port() + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

      // And the stalled connections do not stay open forever.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> stalled.stream().allMatch(HealthServerTest::closedByServer));
    }
  }

  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      while (true) {
        if (socket.getInputStream().read() == -1) return true; // an error answer before closing is fine
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
