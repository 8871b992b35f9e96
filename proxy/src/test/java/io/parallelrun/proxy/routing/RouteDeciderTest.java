package io.parallelrun.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteDeciderTest {
  @Test
  void extremesNeedNoRandomness() {
    RouteDecider d = new RouteDecider(bound -> {
      throw new AssertionError("no random draw expected");
    });
    assertThat(d.decide(0, false, 100)).isEqualTo(new RouteDecision(Side.legacy, false));
    assertThat(d.decide(100, true, 100)).isEqualTo(new RouteDecision(Side.candidate, true));
    assertThat(d.decide(0, true, 0)).isEqualTo(new RouteDecision(Side.legacy, false));
  }

  @Test
  void drawBelowWeightGoesToCandidate() {
    assertThat(new RouteDecider(b -> 29).decide(30, false, 100).answer()).isEqualTo(Side.candidate);
    assertThat(new RouteDecider(b -> 30).decide(30, false, 100).answer()).isEqualTo(Side.legacy);
  }

  @Test
  void mirrorFalseNeverShadows() {
    RouteDecider d = new RouteDecider(b -> 0);
    for (int w = 0; w <= 100; w++) {
      assertThat(d.decide(w, false, 100).shadow()).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 25, 50, 90, 99})
  void weightIsHonouredStatistically(int weight) {
    SplittableRandom random = new SplittableRandom(42 + weight);
    RouteDecider d = new RouteDecider(random::nextInt);
    int n = 100_000;
    int candidate = 0;
    int shadows = 0;
    for (int i = 0; i < n; i++) {
      RouteDecision r = d.decide(weight, true, 20);
      if (r.answer() == Side.candidate) candidate++;
      if (r.shadow()) shadows++;
    }
    // 5 standard deviations of a binomial(n, p)
    double p = weight / 100.0;
    double bound = 5 * Math.sqrt(n * p * (1 - p));
    assertThat((double) candidate).isBetween(n * p - bound, n * p + bound);
    double sb = 5 * Math.sqrt(n * 0.2 * 0.8);
    assertThat((double) shadows).isBetween(n * 0.2 - sb, n * 0.2 + sb);
  }
}
