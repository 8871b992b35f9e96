package io.parallelrun.proxy.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.api.metrics.FieldName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The names of the fields two answers differ at, after the comparator's rules, as the metric's field label. */
class DifferingFieldsTest {
  private static final ResponseComparator COMPARATOR = new ResponseComparator(new BodyDecoder(1 << 20));
  private static final String UUID = "3f2b8a1e-9c4d-4e5f-8a6b-7c8d9e0f1a2b";

  private static ComparatorRules rules(List<String> ignoreHeaders, List<String> ignorePaths, double tolerance) {
    return ComparatorRules.compile(new ResolvedComparator(EnumSet.allOf(CompareAxis.class), ignoreHeaders,
        ignorePaths, List.of(), tolerance));
  }

  private static ResponseSnapshot response(int status, String contentType, String body, String... headers) {
    List<Map.Entry<String, String>> hs = new ArrayList<>();
    if (contentType != null) hs.add(Map.entry("Content-Type", contentType));
    for (int i = 0; i < headers.length; i += 2) hs.add(Map.entry(headers[i], headers[i + 1]));
    return new ResponseSnapshot(status, hs, body.getBytes(StandardCharsets.UTF_8));
  }

  private static ResponseSnapshot json(String body) {
    return response(200, "application/json", body);
  }

  private static Set<String> fields(ResponseSnapshot legacy, ResponseSnapshot candidate, ComparatorRules rules) {
    Comparison c = COMPARATOR.compare(legacy, candidate, rules);
    Set<String> named = new LinkedHashSet<>();
    DifferingFields.of(c, rules, named::add);
    if (c.matched()) assertThat(named).as("a matched comparison names no field").isEmpty();
    else assertThat(named).as("an unmatched comparison names a field").isNotEmpty();
    return named;
  }

  static Stream<Arguments> jsonBodies() {
    return Stream.of(
        Arguments.of("equal despite key order and 1 vs 1.0", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1.0}", Set.of()),
        Arguments.of("a scalar", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}", Set.of("body:$.b")),
        Arguments.of("nested", "{\"a\":{\"b\":{\"c\":\"x\"}}}", "{\"a\":{\"b\":{\"c\":\"y\"}}}", Set.of("body:$.a.b.c")),
        Arguments.of("a key on one side only, either side", "{\"a\":1,\"gone\":2}", "{\"a\":1,\"new\":3}",
            Set.of("body:$.gone", "body:$.new")),
        Arguments.of("null is not absent", "{\"a\":null}", "{}", Set.of("body:$.a")),
        Arguments.of("array items, named once as [*]", "{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3}]}",
            "{\"items\":[{\"price\":9},{\"price\":8},{\"price\":3}]}", Set.of("body:$.items[*].price")),
        Arguments.of("arrays of different lengths", "{\"items\":[1,2]}", "{\"items\":[1,2,3]}", Set.of("body:$.items[*]")),
        Arguments.of("nested arrays", "[[1,2],[3,4]]", "[[1,2],[3,5]]", Set.of("body:$[*][*]")),
        Arguments.of("a type change", "{\"a\":[1]}", "{\"a\":{\"x\":1}}", Set.of("body:$.a")),
        Arguments.of("a scalar root", "1", "2", Set.of("body:$")),
        Arguments.of("numeric keys are data", "{\"orders\":{\"8812\":{\"total\":1}}}", "{\"orders\":{\"8812\":{\"total\":2}}}",
            Set.of("body:$.orders.*.total")),
        Arguments.of("UUIDs in keys are data", "{\"u-" + UUID + "\":1}", "{\"" + UUID.toUpperCase() + "\":1}",
            Set.of("body:$.*")),
        Arguments.of("e-mails, dates, spaces are data", "{\"a@b.io\":1,\"2024-01-01T00:00:00Z\":1,\"x y\":1}", "{}",
            Set.of("body:$.*")),
        Arguments.of("long keys are data", "{\"" + "k".repeat(65) + "\":1,\"" + "s".repeat(64) + "\":1}", "{}",
            Set.of("body:$.*", "body:$." + "s".repeat(64))),
        Arguments.of("schema keys stay, with - and _", "{\"order-id\":1,\"line_item\":2,\"v2\":3}", "{}",
            Set.of("body:$.order-id", "body:$.line_item", "body:$.v2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonBodies")
  void jsonBodiesAreNamedByNormalisedPaths(String name, String legacy, String candidate, Set<String> expected) {
    assertThat(fields(json(legacy), json(candidate), rules(List.of(), List.of(), 0))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonBodies")
  void eachFieldPastedAsAnIgnoreRuleIgnoresWhatDiffered(String name, String legacy, String candidate, Set<String> expected) {
    List<String> paths = expected.stream().map(f -> f.substring(FieldName.BODY_PREFIX.length())).toList();
    assertThat(fields(json(legacy), json(candidate), rules(List.of(), paths, 0))).as("with ignoreJsonPaths %s", paths)
        .isEmpty();
  }

  @Test
  void ignoredPathsAndToleratedNumbersAreNotNamed() {
    assertThat(fields(json("{\"at\":\"t1\",\"p\":1.0,\"q\":1}"), json("{\"at\":\"t2\",\"p\":1.001,\"q\":2}"),
        rules(List.of(), List.of("$.at"), 0.01))).containsExactly("body:$.q");
  }

  @Test
  void statusAndHeadersByLowerCaseNameNeverByValue() {
    ResponseSnapshot legacy = response(200, "text/plain", "same", "X-Served-By", "legacy-7", "X-Gone", "v", "Date", "d1",
        "X-Version", "1");
    ResponseSnapshot candidate = response(503, "text/plain", "same", "x-served-by", "candidate-9", "X-New", "v",
        "Date", "d2", "X-Version", "2");
    assertThat(fields(legacy, candidate, rules(List.of("X-Version"), List.of(), 0)))
        .containsExactlyInAnyOrder("status", "header:x-served-by", "header:x-gone", "header:x-new");
  }

  @Test
  void headerNamesThatAreDataBecomeStar() {
    assertThat(fields(response(200, null, "", "X-Session-" + UUID, "1"), response(200, null, ""),
        rules(List.of(), List.of(), 0))).containsExactly("header:*");
  }

  @Test
  void aBodyThatIsNotJsonOnBothSidesIsJustBody() {
    ComparatorRules rules = rules(List.of(), List.of(), 0);
    assertThat(fields(response(200, "text/plain", "a SECRET"), response(200, "text/plain", "b"), rules))
        .containsExactly("body");
    assertThat(fields(json("{\"a\":1}"), json("not json"), rules)).containsExactly("body");
    assertThat(fields(response(200, "image/png", "\u0001"), response(200, "image/png", "\u0002"), rules))
        .containsExactly("body");
  }

  @Test
  void deepBodiesAreNamedByAShortAncestor() {
    String deep = "{\"level\":".repeat(100) + "%s" + "}".repeat(100);
    Set<String> named = fields(json(deep.formatted("1")), json(deep.formatted("2")), rules(List.of(), List.of(), 0));
    assertThat(named).singleElement().satisfies(f -> {
      assertThat(f).startsWith("body:$.level.level");
      assertThat(f.length()).isLessThanOrEqualTo(FieldName.BODY_PREFIX.length() + DifferingFields.MAX_PATH_LENGTH + 7);
    });
  }

  @Test
  void dataLikeKeys() {
    assertThat(DifferingFields.isDataLike("price")).isFalse();
    assertThat(DifferingFields.isDataLike("order-id_2")).isFalse();
    assertThat(DifferingFields.isDataLike("s".repeat(64))).isFalse();
    assertThat(DifferingFields.isDataLike("a-long-schema-name-with-many-dashes-in-it")).isFalse();
    for (String data : List.of("", "123", UUID, "user-" + UUID, UUID.toUpperCase() + "_x", "a@b.io", "a.b", "x y", "é", "k".repeat(65), "a/b")) {
      assertThat(DifferingFields.isDataLike(data)).as(data).isTrue();
    }
  }
}
