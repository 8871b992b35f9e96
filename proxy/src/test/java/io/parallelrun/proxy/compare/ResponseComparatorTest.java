package io.parallelrun.proxy.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.api.metrics.MismatchAxis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ResponseComparatorTest {
  private final ResponseComparator comparator = new ResponseComparator(new BodyDecoder(1 << 20));

  private static ComparatorRules rules() {
    return rules(List.of(), List.of(), List.of(), 0);
  }

  private static ComparatorRules rules(List<String> ignoreHeaders, List<String> ignorePaths, List<String> unordered,
      double tolerance) {
    return ComparatorRules.compile(new ResolvedComparator(EnumSet.allOf(CompareAxis.class), ignoreHeaders,
        ignorePaths, unordered, tolerance));
  }

  private static ResponseSnapshot json(String body, String... headers) {
    return response(200, body.getBytes(StandardCharsets.UTF_8), with(headers, "Content-Type", "application/json"));
  }

  private static String[] with(String[] headers, String... more) {
    String[] all = new String[headers.length + more.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(headers, 0, all, more.length, headers.length);
    return all;
  }

  private static ResponseSnapshot response(int status, byte[] body, String... headers) {
    List<Map.Entry<String, String>> hs = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) hs.add(Map.entry(headers[i], headers[i + 1]));
    return new ResponseSnapshot(status, hs, body);
  }

  private Set<MismatchAxis> diff(ResponseSnapshot l, ResponseSnapshot c, ComparatorRules r) {
    Set<MismatchAxis> mismatches = comparator.compare(l, c, r).mismatches();
    // Every case here also checks the event loop's shortcut: it may say "identical" only when compare() matches.
    if (comparator.identical(l, c, r)) assertThat(mismatches).as("identical() but compare() found mismatches").isEmpty();
    return mismatches;
  }

  @Test
  void identicalShortcutTakesByteEqualAnswersWithEqualHeaders() {
    ResponseSnapshot l = json("{\"a\":1}", "Date", "Mon, 01 Jan 2024 00:00:00 GMT", "Vary", "Accept, Origin");
    ResponseSnapshot c = json("{\"a\":1}", "Date", "Tue, 02 Jan 2024 00:00:00 GMT", "vary", "Origin,Accept");
    assertThat(comparator.identical(l, c, rules())).isTrue();
    assertThat(diff(l, c, rules())).isEmpty();
  }

  @Test
  void identicalShortcutLeavesEverythingElseToTheFullComparison() throws IOException {
    // semantically equal JSON, different bytes: only the full comparison can tell
    assertThat(comparator.identical(json("{\"a\":1,\"b\":2}"), json("{\"b\":2,\"a\":1}"), rules())).isFalse();
    // different status, different header value
    assertThat(comparator.identical(json("{}"), response(201, "{}".getBytes(), "Content-Type", "application/json"),
        rules())).isFalse();
    assertThat(comparator.identical(json("{}", "Cache-Control", "no-store"), json("{}", "Cache-Control", "max-age=60"),
        rules())).isFalse();
    // the same bytes under different content-encodings decode differently
    ResponseSnapshot plain = response(200, gzip("hello".getBytes()), "Content-Type", "text/plain");
    ResponseSnapshot gzipped = response(200, gzip("hello".getBytes()), "Content-Type", "text/plain",
        "Content-Encoding", "gzip");
    assertThat(comparator.identical(plain, gzipped, rules())).isFalse();
    assertThat(diff(plain, gzipped, rules())).containsExactly(MismatchAxis.body);
  }

  @Test
  void identicalShortcutHonoursAxesThatAreNotCompared() {
    ComparatorRules bodyOnly = ComparatorRules.compile(new ResolvedComparator(EnumSet.of(CompareAxis.body), List.of(),
        List.of(), List.of(), 0));
    ResponseSnapshot l = json("{}", "Cache-Control", "no-store");
    ResponseSnapshot c = response(500, "{}".getBytes(), "Content-Type", "application/json");
    assertThat(comparator.identical(l, c, bodyOnly)).isTrue();
    assertThat(diff(l, c, bodyOnly)).isEmpty();
  }

  @Test
  void identicalAnswersMatch() {
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":1}"), rules())).isEmpty();
  }

  @Test
  void statusDiffers() {
    assertThat(diff(json("{}"), response(500, "{}".getBytes(), "Content-Type", "application/json"), rules()))
        .containsExactly(MismatchAxis.status);
  }

  @Test
  void jsonKeyOrderAndWhitespaceDoNotMatter() {
    assertThat(diff(json("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":null}}"),
        json("{ \"b\" : { \"y\":null, \"x\":[1, 2] },\n \"a\":1 }"), rules())).isEmpty();
  }

  @Test
  void numbersCompareByValue() {
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":1.0}"), rules())).isEmpty();
    assertThat(diff(json("{\"a\":100}"), json("{\"a\":1e2}"), rules())).isEmpty();
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":1.001}"), rules())).containsExactly(MismatchAxis.body);
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":\"1\"}"), rules())).containsExactly(MismatchAxis.body);
  }

  @Test
  void numericTolerance() {
    ComparatorRules r = rules(List.of(), List.of(), List.of(), 0.01);
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":1.005}"), r)).isEmpty();
    assertThat(diff(json("{\"a\":[1.5]}"), json("{\"a\":[1.51]}"), r)).isEmpty();
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":1.02}"), r)).containsExactly(MismatchAxis.body);
  }

  @Test
  void ignoreJsonPathsWithWildcards() {
    ComparatorRules r = rules(List.of(), List.of("$.items[*].updatedAt", "$.meta.requestId"), List.of(), 0);
    assertThat(diff(
        json("{\"items\":[{\"id\":1,\"updatedAt\":\"a\"},{\"id\":2,\"updatedAt\":\"b\"}],\"meta\":{\"requestId\":\"x\"}}"),
        json("{\"items\":[{\"id\":1,\"updatedAt\":\"c\"},{\"id\":2}],\"meta\":{\"requestId\":\"y\"}}"), r)).isEmpty();
    assertThat(diff(json("{\"items\":[{\"id\":1,\"updatedAt\":\"a\"}]}"),
        json("{\"items\":[{\"id\":9,\"updatedAt\":\"a\"}]}"), r)).containsExactly(MismatchAxis.body);
  }

  @Test
  void deepScanIgnore() {
    ComparatorRules r = rules(List.of(), List.of("$..etag"), List.of(), 0);
    assertThat(diff(json("{\"a\":{\"etag\":1,\"v\":2},\"etag\":3}"), json("{\"a\":{\"etag\":5,\"v\":2},\"etag\":4}"), r))
        .isEmpty();
  }

  @Test
  void unorderedArraysAtGivenPathsOnly() {
    ComparatorRules r = rules(List.of(), List.of(), List.of("$.tags", "$.items[*].codes"), 0);
    assertThat(diff(json("{\"tags\":[\"a\",\"b\",{\"k\":1,\"j\":2}],\"items\":[{\"codes\":[3,1.0,2]}]}"),
        json("{\"tags\":[{\"j\":2,\"k\":1},\"b\",\"a\"],\"items\":[{\"codes\":[1,2,3]}]}"), r)).isEmpty();
    // order still matters elsewhere
    assertThat(diff(json("{\"tags\":[1],\"other\":[1,2]}"), json("{\"tags\":[1],\"other\":[2,1]}"), r))
        .containsExactly(MismatchAxis.body);
    // and multiplicity matters
    assertThat(diff(json("{\"tags\":[1,1,2]}"), json("{\"tags\":[1,2,2]}"), r)).containsExactly(MismatchAxis.body);
  }

  @Test
  void unorderedRootArray() {
    ComparatorRules r = rules(List.of(), List.of(), List.of("$"), 0);
    assertThat(diff(json("[3,2,1]"), json("[1,2,3]"), r)).isEmpty();
  }

  @Test
  void headerNamesCaseInsensitiveAndValuesOrderInsensitive() {
    assertThat(diff(json("{}", "X-Tags", "a, b", "Vary", "Accept", "Vary", "Origin"),
        json("{}", "x-tags", "b,a", "vary", "Origin", "VARY", "Accept"), rules())).isEmpty();
    assertThat(diff(json("{}", "X-Tags", "a"), json("{}", "X-Tags", "b"), rules()))
        .containsExactly(MismatchAxis.headers);
    assertThat(diff(json("{}", "X-Only-Legacy", "1"), json("{}"), rules())).containsExactly(MismatchAxis.headers);
  }

  @Test
  void volatileAndFramingHeadersIgnoredOutOfTheBox() {
    assertThat(diff(
        json("{}", "Date", "Mon", "Server", "nginx", "Content-Length", "2", "Connection", "keep-alive",
            "Keep-Alive", "timeout=5", "X-Request-Id", "1", "traceparent", "00-a", "X-B3-TraceId", "1"),
        json("{}", "Date", "Tue", "Server", "netty", "Transfer-Encoding", "chunked", "X-Request-Id", "2",
            "traceparent", "00-b", "X-Amzn-Trace-Id", "z"), rules())).isEmpty();
  }

  @Test
  void ignoreHeadersAddsToBuiltIns() {
    ComparatorRules r = rules(List.of("X-Version", "ETag"), List.of(), List.of(), 0);
    assertThat(diff(json("{}", "x-version", "1", "etag", "a", "Date", "x"), json("{}", "X-VERSION", "2", "ETag", "b"), r))
        .isEmpty();
  }

  @Test
  void textComparedExactly() {
    ResponseSnapshot a = response(200, "hello world".getBytes(), "Content-Type", "text/plain; charset=utf-8");
    ResponseSnapshot b = response(200, "hello  world".getBytes(), "Content-Type", "text/plain; charset=utf-8");
    assertThat(diff(a, a, rules())).isEmpty();
    assertThat(diff(a, b, rules())).containsExactly(MismatchAxis.body);
  }

  @Test
  void binaryComparedByDigest() {
    ResponseSnapshot a = response(200, new byte[] {1, 2, 3}, "Content-Type", "application/octet-stream");
    ResponseSnapshot b = response(200, new byte[] {1, 2, 4}, "Content-Type", "application/octet-stream");
    assertThat(diff(a, response(200, new byte[] {1, 2, 3}, "Content-Type", "application/octet-stream"), rules())).isEmpty();
    var c = comparator.compare(a, b, rules());
    assertThat(c.mismatches()).containsExactly(MismatchAxis.body);
    assertThat(c.legacy().get("body").asText()).startsWith("sha256:");
  }

  @Test
  void gzipAndDeflateDecodedFirst() throws IOException {
    byte[] plain = "{\"b\":2,\"a\":1}".getBytes();
    ResponseSnapshot gz = response(200, gzip("{\"a\":1,\"b\":2}".getBytes()), "Content-Type", "application/json",
        "Content-Encoding", "gzip");
    ResponseSnapshot df = response(200, deflate("{\"a\":1.0,\"b\":2}".getBytes()), "Content-Type", "application/json",
        "Content-Encoding", "deflate");
    ResponseSnapshot raw = response(200, plain, "Content-Type", "application/json");
    assertThat(diff(gz, raw, rules())).isEmpty();
    assertThat(diff(raw, df, rules())).isEmpty();
    assertThat(diff(gz, df, rules())).isEmpty();
    ResponseSnapshot other = response(200, gzip("{\"a\":2,\"b\":2}".getBytes()), "Content-Type", "application/json",
        "Content-Encoding", "gzip");
    assertThat(diff(gz, other, rules())).containsExactly(MismatchAxis.body);
  }

  @Test
  void garbageJsonIsABodyMismatch() {
    assertThat(diff(json("{\"a\":1}"), json("{\"a\":"), rules())).containsExactly(MismatchAxis.body);
    assertThat(diff(json("{\"a\":1} trailing"), json("{\"a\":1}"), rules())).containsExactly(MismatchAxis.body);
  }

  @Test
  void onlyConfiguredAxesCompared() {
    ComparatorRules statusOnly = ComparatorRules.compile(new ResolvedComparator(EnumSet.of(CompareAxis.status),
        List.of(), List.of(), List.of(), 0));
    assertThat(diff(json("{\"a\":1}", "X-A", "1"), json("{\"a\":2}", "X-A", "2"), statusOnly)).isEmpty();
  }

  @Test
  void emptyBodiesMatch() {
    assertThat(diff(response(204, new byte[0]), response(204, new byte[0]), rules())).isEmpty();
  }

  static byte[] gzip(byte[] in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(in);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
      d.write(in);
    }
    return out.toByteArray();
  }
}
