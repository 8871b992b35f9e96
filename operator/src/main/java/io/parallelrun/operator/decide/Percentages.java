package io.parallelrun.operator.decide;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rates as status shows them: two decimals, rounded down, so a shown rate meets a threshold only if it did. */
final class Percentages {
  private Percentages() {}

  /** For status fields; null stays null (no samples). */
  static Double display(Double rate) {
    return rate == null ? null : BigDecimal.valueOf(rate).setScale(2, RoundingMode.FLOOR).doubleValue();
  }

  /** For messages: "99.5%", "98%". */
  static String text(double rate) {
    return BigDecimal.valueOf(rate).setScale(2, RoundingMode.FLOOR).stripTrailingZeros().toPlainString() + "%";
  }
}
