package io.parallelrun.api;

/**
 * What the proxy does with noise: fields at which legacy's answers differ from each other. It learns them by
 * sending, after an unmatched comparison on a mirrored GET, HEAD or OPTIONS endpoint, the same request to legacy
 * once more and naming the fields at which legacy's two answers differ (an A/A comparison without a second legacy
 * deployment). The operator never writes the spec either way: rules to keep are suggested in status.
 */
public enum NoiseMode {
  /** No probes. */
  Off,
  /** Probe and report noise (metrics, status, {@code kubectl parallelrun suggest}); comparisons are unchanged. */
  Report,
  /**
   * Probe, and once a header or JSON field has been seen as noise in comparator.noiseIgnoreAfter probes, leave it
   * out of this endpoint's comparisons in that proxy from then on; status lists it under ignoredNoise. Status and a
   * body that is not JSON are never ignored: they are only reported.
   */
  Ignore
}
