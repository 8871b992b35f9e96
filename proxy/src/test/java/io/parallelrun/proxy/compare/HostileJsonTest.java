package io.parallelrun.proxy.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.api.metrics.MismatchAxis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bodies built to make the single comparison thread work for a long time: numbers whose exponents are far apart,
 * and nesting deep enough to break whatever walks the tree later (diffs, the /mismatches answer).
 */
class HostileJsonTest {
  /** Generous for a shared 2-core machine; the unbounded versions took 24 s (exponents) and hung (depth). */
  private static final Duration QUICK = Duration.ofSeconds(2);

  private final ResponseComparator comparator = new ResponseComparator(new BodyDecoder(1 << 20));

  private static ComparatorRules rules(double tolerance) {
    return ComparatorRules.compile(new ResolvedComparator(EnumSet.allOf(CompareAxis.class), List.of(), List.of(),
        List.of(), tolerance));
  }

  private static ResponseSnapshot json(String body) {
    return new ResponseSnapshot(200, List.of(Map.entry("Content-Type", "application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private Comparison compareQuickly(String legacy, String candidate, double tolerance) {
    return assertTimeoutPreemptively(QUICK, () -> comparator.compare(json(legacy), json(candidate), rules(tolerance)));
  }

  @Test
  void hugeExponentGapIsComparedQuicklyWithoutTolerance() {
    assertThat(compareQuickly("{\"n\":1e20000000}", "{\"n\":1e-20000000}", 0).mismatches())
        .containsExactly(MismatchAxis.body);
    assertThat(compareQuickly("[1e-20000000]", "[-1e20000000]", 0).mismatches()).containsExactly(MismatchAxis.body);
  }

  @Test
  void hugeExponentGapIsComparedQuicklyWithTolerance() {
    assertThat(compareQuickly("{\"n\":1e20000000}", "{\"n\":1e-20000000}", 0.5).mismatches())
        .containsExactly(MismatchAxis.body);
    // the tiny one is within the tolerance of zero, and of the other tiny one
    assertThat(compareQuickly("{\"n\":0}", "{\"n\":1e-20000000}", 0.5).matched()).isTrue();
    assertThat(compareQuickly("{\"n\":-1e-20000000}", "{\"n\":1e-20000000}", 0.5).matched()).isTrue();
  }

  @Test
  void equalValuesWithHugeExponentsStillMatchWhateverTheNotation() {
    assertThat(compareQuickly("{\"n\":1e20000000}", "{\"n\":10E19999999}", 0).matched()).isTrue();
    assertThat(compareQuickly("{\"n\":1.50e-20000000}", "{\"n\":15e-20000001}", 0).matched()).isTrue();
    assertThat(compareQuickly("{\"n\":1e20000000}", "{\"n\":1.0000001e20000000}", 0).matched()).isFalse();
  }

  @Test
  void ordinaryNumbersKeepTheirSemantics() {
    assertThat(compareQuickly("{\"n\":19.9}", "{\"n\":19.90}", 0).matched()).isTrue();
    assertThat(compareQuickly("{\"n\":1}", "{\"n\":1.0005}", 0.001).matched()).isTrue();
    assertThat(compareQuickly("{\"n\":1}", "{\"n\":1.002}", 0.001).matched()).isFalse();
    assertThat(compareQuickly("{\"n\":1e2}", "{\"n\":100}", 0).matched()).isTrue();
  }

  private static String nested(int depth, String innermost) {
    return "{\"a\":".repeat(depth) + innermost + "}".repeat(depth);
  }

  private static int depth(JsonNode node) {
    int max = 0;
    for (JsonNode child : node) max = Math.max(max, depth(child));
    return node.isContainerNode() ? max + 1 : 0;
  }

  @Test
  void bodiesNestedBeyondTheBoundAreNotParsedButComparedAsBytes() {
    String legacy = nested(995, "1");
    String candidate = nested(995, "2");
    Comparison differing = compareQuickly(legacy, candidate, 0);
    assertThat(differing.mismatches()).containsExactly(MismatchAxis.body);
    // no deep tree reaches the sample, the diff or the /mismatches answer
    assertThat(depth(differing.legacy())).isLessThan(10);
    assertThat(depth(differing.candidate())).isLessThan(10);
    assertThat(differing.legacyBody().form()).isEqualTo(BodyView.Form.RAW);
    // semantically equal (whitespace) but unparseable: compared by their bytes, so a mismatch
    assertThat(compareQuickly(legacy, nested(995, " 1"), 0).mismatches()).containsExactly(MismatchAxis.body);
    assertThat(compareQuickly(legacy, legacy, 0).matched()).isTrue();
  }

  @Test
  void bodiesWithinTheBoundAreStillComparedSemantically() {
    int allowed = Json.MAX_BODY_NESTING_DEPTH;
    Comparison c = compareQuickly(nested(allowed, "1"), nested(allowed, "1.0"), 0);
    assertThat(c.matched()).isTrue();
    Comparison d = compareQuickly(nested(allowed, "1"), nested(allowed, "2"), 0);
    assertThat(d.legacyBody().form()).isEqualTo(BodyView.Form.JSON);
    assertThat(depth(d.legacy().get("body"))).isEqualTo(allowed);
    assertThat(compareQuickly(nested(allowed + 1, "1"), nested(allowed + 1, "1.0"), 0).matched()).isFalse();
  }
}
