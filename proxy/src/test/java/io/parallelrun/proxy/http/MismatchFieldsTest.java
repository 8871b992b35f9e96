package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * parallelrun_mismatch_fields_total on a real proxy with real backends on 127.0.0.1: which field of an unmatched
 * comparison differed, by name (never by value), with the endpoint's comparator rules applied, and a bounded number
 * of series per endpoint whatever the answers hold.
 */
class MismatchFieldsTest extends ProxyTestBase {
  private static final String ENDPOINT = """
        - name: get-order
          method: GET
          path: /orders/{id}
      """;
  private static final Pattern FIELD_SERIES = Pattern.compile(
      "(?m)^parallelrun_mismatch_fields_total\\{[^}]*endpoint=\"get-order\"[^}]*field=\"([^\"]*)\"[^}]*} (\\S+)$");

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return json(side, "{\"id\":1}");
  }

  /** Answers 200 with the given JSON body and X-Served-By naming its side, as many real services do. */
  private static BiConsumer<HttpServerRequest, Buffer> json(String side, String body) {
    return (req, b) -> req.response().putHeader("Content-Type", "application/json").putHeader("X-Served-By", side)
        .end(body);
  }

  private void start(String comparator, String... flags) throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), comparator, ENDPOINT, ""), flags);
  }

  /** Sends GET /orders/1 n times and waits until n comparisons are unmatched. */
  private void unmatched(int n) throws Exception {
    for (int i = 0; i < n; i++) assertThat(proxy.get("/orders/1").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "unmatched") == n);
  }

  /** The endpoint's field series as /metrics renders them: field → count. */
  private Map<String, Double> fieldSeries() throws Exception {
    Map<String, Double> series = new TreeMap<>();
    Matcher m = FIELD_SERIES.matcher(proxy.adminGet("/metrics").body());
    while (m.find()) series.put(m.group(1), Double.parseDouble(m.group(2)));
    return series;
  }

  private double field(String field) {
    return proxy.count(Metric.MISMATCH_FIELDS, MetricLabels.ENDPOINT, "get-order", MetricLabels.FIELD, field);
  }

  @Test
  void aHeaderThatDiffersByDesignIsNamed() throws Exception {
    start("");
    unmatched(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> field("header:x-served-by") == 3);
    assertThat(fieldSeries()).containsExactlyInAnyOrderEntriesOf(
        Map.of("header:x-served-by", 3.0, MetricLabels.OTHER_FIELD, 0.0));
  }

  @Test
  void anIgnoredHeaderIsNotCounted() throws Exception {
    start("""
          defaults:
            comparator:
              ignoreHeaders: [X-Served-By]
        """);
    candidate.respond(json("candidate", "{\"id\":2}"));
    unmatched(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> field("body:$.id") == 2);
    assertThat(fieldSeries()).containsExactlyInAnyOrderEntriesOf(Map.of("body:$.id", 2.0, MetricLabels.OTHER_FIELD, 0.0));
  }

  @Test
  void anArrayElementIsNamedByAPathThatWorksAsARule() throws Exception {
    start("""
          defaults:
            comparator:
              ignoreHeaders: [X-Served-By]
        """);
    legacy.respond(json("legacy", "{\"items\":[{\"sku\":\"a\",\"price\":10},{\"sku\":\"b\",\"price\":20}]}"));
    candidate.respond(json("candidate", "{\"items\":[{\"sku\":\"a\",\"price\":10.0},{\"sku\":\"b\",\"price\":21}]}"));
    unmatched(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> field("body:$.items[*].price") == 1);
    assertThat(fieldSeries()).containsOnlyKeys("body:$.items[*].price", MetricLabels.OTHER_FIELD);

    // The field, pasted as a rule, makes the two answers match.
    proxy.apply(ProxyFixture.manifest(legacy.url(), candidate.url(), """
          defaults:
            comparator:
              ignoreHeaders: [X-Served-By]
              ignoreJsonPaths: ["$.items[*].price"]
        """, ENDPOINT, ""));
    assertThat(proxy.get("/orders/1").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "matched") == 1);
  }

  @Test
  void aTextBodyIsJustBodyAndAStatusIsStatus() throws Exception {
    start("");
    legacy.respond((req, b) -> req.response().putHeader("Content-Type", "text/plain").end("hello SECRET-VALUE-123"));
    candidate.respond((req, b) -> req.response().setStatusCode(201).putHeader("Content-Type", "text/plain")
        .end("hello SECRET-VALUE-456"));
    unmatched(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> field("body") == 2);
    assertThat(fieldSeries()).containsExactlyInAnyOrderEntriesOf(
        Map.of("body", 2.0, "status", 2.0, MetricLabels.OTHER_FIELD, 0.0));
    assertThat(proxy.adminGet("/metrics").body()).doesNotContain("SECRET-VALUE");
  }

  @Test
  void tenThousandDistinctKeysLeaveTheSeriesBoundedAndNoValueReachesMetrics() throws Exception {
    int k = 5;
    start("", "--mismatch-fields-per-endpoint", String.valueOf(k));
    String email = "alice.payer@example.com";
    List<String> markers = List.of("SECRET-VALUE-123", "SECRET-VALUE-456", email, "bob@example.org");
    legacy.respond((req, b) -> req.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Served-By", "SECRET-VALUE-123").putHeader("X-Customer", email)
        .end(distinctKeys("legacy", "SECRET-VALUE-123", email)));
    candidate.respond((req, b) -> req.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Served-By", "SECRET-VALUE-456").putHeader("X-Customer", "bob@example.org")
        .end(distinctKeys("candidate", "SECRET-VALUE-456", "bob@example.org")));
    unmatched(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> field(MetricLabels.OTHER_FIELD) == 3);

    Map<String, Double> series = fieldSeries();
    assertThat(series).as("field series of the endpoint").hasSizeLessThanOrEqualTo(k + 1)
        .containsEntry(MetricLabels.OTHER_FIELD, 3.0);
    series.values().forEach(count -> assertThat(count).isEqualTo(3.0)); // each field once per comparison
    String metrics = proxy.adminGet("/metrics").body();
    for (String marker : markers) assertThat(metrics).as("/metrics").doesNotContain(marker);
    assertThat(series.keySet()).as("fields: keys that are data become *")
        .noneMatch(f -> f.contains("u-") || f.contains("4111") || f.contains("@"))
        .contains("header:x-served-by", "body:$.*");
  }

  @Test
  void zeroTurnsFieldCountingOff() throws Exception {
    start("", "--mismatch-fields-per-endpoint", "0");
    unmatched(2);
    assertThat(proxy.mismatches("get-order", "headers")).isEqualTo(2);
    assertThat(proxy.adminGet("/metrics").body()).doesNotContain("parallelrun_mismatch_fields_total");
  }

  /**
   * A body of 10 000 keys that differ between the sides, some data-like (UUIDs, card numbers, e-mails) and some
   * schema-like (k0..), each holding a marker value.
   */
  private static String distinctKeys(String side, String marker, String email) {
    StringBuilder b = new StringBuilder("{\"customer\":{\"email\":\"").append(email).append("\",\"note\":\"")
        .append(marker).append("\"},\"").append(email).append("\":\"").append(marker).append('"');
    for (int i = 0; i < 10_000; i++) {
      String key = switch (i % 3) {
        case 0 -> "u-" + UUID.randomUUID();
        case 1 -> "4111" + (1_000_000_000L + i) + side.length();
        default -> side.charAt(0) + "k" + i;
      };
      b.append(",\"").append(key).append("\":\"").append(marker).append('"');
    }
    return b.append('}').toString();
  }
}
