package io.parallelrun.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wilson score bounds against values computed independently (the textbook formula with an exact quantile). */
class WilsonIntervalTest {

  @ParameterizedTest(name = "{0} of {1} at {2}% -> [{3}, {4}]")
  @CsvSource({
      "7, 10, 95, 39.6778, 89.2209",
      "990, 1000, 95, 98.1691, 99.4559",
      "1000, 1000, 95, 99.6173, 100.0",
      "0, 10, 95, 0.0, 27.7533",
      "10, 10, 95, 72.2467, 100.0",
      "9, 10, 95, 59.585, 98.2124",
      "7, 10, 99.9, 24.9642, 94.2412",
      "990, 1000, 50, 98.7644, 99.1911",
  })
  void knownBounds(long matched, long samples, double confidence, double lower, double upper) {
    WilsonInterval interval = WilsonInterval.of(matched, samples, confidence);
    assertThat(interval.lower()).as("lower").isCloseTo(lower, within(1e-4));
    assertThat(interval.upper()).as("upper").isCloseTo(upper, within(1e-4));
  }

  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({"7, 10", "990, 1000", "1, 1", "0, 1"})
  void theIntervalHoldsTheRateAndNarrowsWithLessConfidence(long matched, long samples) {
    double rate = 100.0 * matched / samples;
    WilsonInterval wide = WilsonInterval.of(matched, samples, 99);
    WilsonInterval narrow = WilsonInterval.of(matched, samples, 80);
    assertThat(wide.lower()).isLessThanOrEqualTo(narrow.lower()).isLessThanOrEqualTo(rate).isGreaterThanOrEqualTo(0);
    assertThat(wide.upper()).isGreaterThanOrEqualTo(narrow.upper()).isGreaterThanOrEqualTo(rate).isLessThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({"0, 0", "11, 10", "-1, 10"})
  void noIntervalWithoutSamples(long matched, long samples) {
    assertThatThrownBy(() -> WilsonInterval.of(matched, samples, 95)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples");
  }
}
