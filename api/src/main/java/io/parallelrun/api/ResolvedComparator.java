package io.parallelrun.api;

import java.util.List;
import java.util.Set;

/** Comparator rules of one endpoint after its own rules are laid over spec.defaults and the built-in defaults. */
public record ResolvedComparator(
    Set<CompareAxis> compare,
    List<String> ignoreHeaders,
    List<String> ignoreJsonPaths,
    List<String> unorderedArrays,
    double numericTolerance) {

  public ResolvedComparator {
    compare = Set.copyOf(compare);
    ignoreHeaders = List.copyOf(ignoreHeaders);
    ignoreJsonPaths = List.copyOf(ignoreJsonPaths);
    unorderedArrays = List.copyOf(unorderedArrays);
  }

  public boolean compares(CompareAxis axis) {
    return compare.contains(axis);
  }
}
