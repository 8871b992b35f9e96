package io.parallelrun.operator.decide;

/**
 * The Wilson score interval of a match rate: where the true rate lies, at a given confidence, given how many of
 * the samples matched. Unlike the plain rate ± z·σ it stays within [0, 100] and is honest for few samples and
 * for rates near 100%, which is exactly where cutover decisions are taken: 10 of 10 matched says only "above
 * 72%" at 95%, 1000 of 1000 says "above 99.6%".
 *
 * @param lower in percent
 * @param upper in percent
 */
record WilsonInterval(double lower, double upper) {

  /**
   * @param matched samples that matched, 0 to {@code samples}
   * @param samples at least 1
   * @param confidencePercent e.g. 95, between 0 and 100 exclusive
   */
  static WilsonInterval of(long matched, long samples, double confidencePercent) {
    if (samples < 1 || matched < 0 || matched > samples) {
      throw new IllegalArgumentException("need 0 <= matched <= samples and samples >= 1, was " + matched + " of " + samples);
    }
    double z = NormalQuantile.twoSidedZ(confidencePercent);
    double n = samples;
    double p = matched / n;
    double z2n = z * z / n;
    double center = (p + z2n / 2) / (1 + z2n);
    double halfWidth = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4 * n));
    // At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); floating point would miss it by a hair, and a
    // status showing 99.99 for "all matched" would mislead.
    double lower = matched == 0 ? 0 : Math.max(0, center - halfWidth);
    double upper = matched == samples ? 1 : Math.min(1, center + halfWidth);
    return new WilsonInterval(100 * lower, 100 * upper);
  }
}
