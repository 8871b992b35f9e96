package io.parallelrun.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Acklam's approximation against reference quantiles (R's qnorm, Python's NormalDist.inv_cdf), in all three regions. */
class NormalQuantileTest {

  @ParameterizedTest(name = "Φ⁻¹({0}) = {1}")
  @CsvSource({
      "0.5, 0.0",
      "0.75, 0.6744897501960817",
      "0.975, 1.9599639845400536",
      "0.995, 2.5758293035489",
      "0.9995, 3.2905267314919255",
      "0.01, -2.3263478740408408",
      "0.001, -3.090232306167813",
      "0.02425, -1.9729610513118845",
      "0.97575, 1.9729610513118847",
      "1e-9, -5.9978070150076865",
  })
  void matchesReferenceQuantiles(double p, double expected) {
    assertThat(NormalQuantile.of(p)).isCloseTo(expected, within(1e-8 * Math.max(1, Math.abs(expected))));
  }

  @ParameterizedTest(name = "{0}% two-sided")
  @CsvSource({"95, 1.9599639845400536", "99, 2.5758293035489", "99.9, 3.2905267314919255", "50, 0.6744897501960817"})
  void theZOfAConfidenceLevelIsTwoSided(double percent, double z) {
    assertThat(NormalQuantile.twoSidedZ(percent)).isCloseTo(z, within(1e-8));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN})
  void noQuantileOutsideTheOpenUnitInterval(double p) {
    assertThatThrownBy(() -> NormalQuantile.of(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability");
  }
}
