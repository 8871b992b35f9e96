package io.parallelrun.api;

import java.util.List;
import java.util.Set;

/** Comparator rules of one endpoint after its own rules are laid over spec.defaults and the built-in defaults. */
public record ResolvedComparator(
    Set<CompareAxis> compare,
    List<String> ignoreHeaders,
    List<String> ignoreJsonPaths,
    List<String> unorderedArrays,
    double numericTolerance,
    NoiseMode noise,
    int noiseProbesPerMinute,
    int noiseIgnoreAfter) {

  /** Rules with the default noise learning (Report). */
  public ResolvedComparator(Set<CompareAxis> compare, List<String> ignoreHeaders, List<String> ignoreJsonPaths,
      List<String> unorderedArrays, double numericTolerance) {
    this(compare, ignoreHeaders, ignoreJsonPaths, unorderedArrays, numericTolerance, SpecDefaults.NOISE,
        SpecDefaults.NOISE_PROBES_PER_MINUTE, SpecDefaults.NOISE_IGNORE_AFTER);
  }

  public ResolvedComparator {
    compare = Set.copyOf(compare);
    ignoreHeaders = List.copyOf(ignoreHeaders);
    ignoreJsonPaths = List.copyOf(ignoreJsonPaths);
    unorderedArrays = List.copyOf(unorderedArrays);
    java.util.Objects.requireNonNull(noise, "noise");
  }

  public boolean compares(CompareAxis axis) {
    return compare.contains(axis);
  }
}
