package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.proxy.ProxyOptions;
import io.parallelrun.proxy.ProxyServer;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.source.ManifestFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The proxy, in-process, on 127.0.0.1 ephemeral ports, plus helpers to call it and read its counters. */
final class ProxyFixture implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final ProxyServer server;

  ProxyFixture(String manifest, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--event-loops", "2"));
    args.addAll(Arrays.asList(flags));
    ProxyOptions options = ProxyOptions.parse(args.toArray(String[]::new), Map.of());
    server = new ProxyServer(options, BackendResolver.urlsOnly(), RouteDecider.threadLocalRandom());
    server.tables().apply(ManifestFile.parse(manifest, "test"));
    server.start();
  }

  void apply(String manifest) {
    server.tables().apply(ManifestFile.parse(manifest, "test"));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + server.adminPort() + path);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) b.headers(headers);
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs /orders/0 to /orders/{count - 1}: each answered 200 with the body {@link TestBackend#json} gives for it. */
  void assertOrdersAnswered(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r = get("/orders/" + i);
      assertThat(r.statusCode()).as("GET /orders/%d", i).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"path\":\"/orders/" + i + "\",\"len\":0}");
    }
  }

  /** GETs /orders/0 to /orders/{count - 1} all at once, each on a connection of its own; their answers in order. */
  List<HttpResponse<String>> getOrdersAtOnce(int count, Duration timeout) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(HTTP.sendAsync(HttpRequest.newBuilder(uri("/orders/" + i)).timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) answers.add(call.get());
    return answers;
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> adminGet(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(admin(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  double comparisons(String endpoint, String result) {
    return count(Metric.COMPARISONS, MetricLabels.ENDPOINT, endpoint, MetricLabels.RESULT, result);
  }

  double mismatches(String endpoint, String axis) {
    return count(Metric.MISMATCHES, MetricLabels.ENDPOINT, endpoint, MetricLabels.AXIS, axis);
  }

  double answered(String endpoint, String side) {
    return count(Metric.REQUESTS, MetricLabels.ENDPOINT, endpoint, MetricLabels.SIDE, side);
  }

  double fallbacks(String endpoint) {
    return count(Metric.FALLBACKS, MetricLabels.ENDPOINT, endpoint);
  }

  /** Shadows dropped for any reason. */
  double dropped(String endpoint) {
    double sum = 0;
    for (DropReason reason : DropReason.values()) sum += dropped(endpoint, reason.name());
    return sum;
  }

  double dropped(String endpoint, String reason) {
    return count(Metric.SHADOWS_DROPPED, MetricLabels.ENDPOINT, endpoint, MetricLabels.REASON, reason);
  }

  double count(Metric metric, String... tags) {
    Counter c = server.metrics().registry().find(metric.meterName()).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  double totalComparisons(String endpoint) {
    double sum = 0;
    for (ComparisonResult r : ComparisonResult.values()) sum += comparisons(endpoint, r.name());
    return sum;
  }

  @Override
  public void close() {
    server.close();
  }

  /** A ParallelRun manifest; endpoints and status are YAML list items indented by two spaces. */
  static String manifest(String legacyUrl, String candidateUrl, String extraSpec, String endpoints, String status) {
    return """
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata:
          name: shop
          namespace: team-a
        spec:
          legacy:
            url: %s
          candidate:
            url: %s
        %s
          endpoints:
        %s
        %s
        """.formatted(legacyUrl, candidateUrl, indent(extraSpec), indent(endpoints),
            status.isEmpty() ? "status: {}" : "status:\n  endpoints:\n" + status);
  }

  private static String indent(String s) {
    return s.lines().map(l -> l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
