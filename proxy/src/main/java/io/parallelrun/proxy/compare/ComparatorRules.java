package io.parallelrun.proxy.compare;

import com.jayway.jsonpath.JsonPath;
import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.ResolvedComparator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An endpoint's resolved comparator rules, compiled once per routing table. */
public record ComparatorRules(
    Set<CompareAxis> axes,
    Set<String> ignoredHeaders,
    List<JsonPath> ignoreJsonPaths,
    List<JsonPath> unorderedArrays,
    double numericTolerance) {

  /** Framing, hop-by-hop and volatile headers that never take part in a comparison. */
  public static final Set<String> BUILT_IN_IGNORED_HEADERS = Set.of(
      "date", "server", "content-length", "transfer-encoding", "connection", "keep-alive", "x-request-id",
      "content-encoding", "proxy-connection", "upgrade", "te", "trailer",
      "traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid",
      "x-b3-sampled", "x-b3-flags", "x-amzn-trace-id", "x-cloud-trace-context", "uber-trace-id",
      "x-trace-id", "x-span-id", "x-datadog-trace-id", "x-datadog-parent-id", "x-datadog-sampling-priority",
      "x-envoy-upstream-service-time");

  public static ComparatorRules compile(ResolvedComparator c) {
    Set<String> ignored = new HashSet<>(BUILT_IN_IGNORED_HEADERS);
    c.ignoreHeaders().forEach(h -> ignored.add(h.trim().toLowerCase(Locale.ROOT)));
    if (c.numericTolerance() < 0 || Double.isNaN(c.numericTolerance())) {
      throw new IllegalArgumentException("numericTolerance must be 0 or more");
    }
    return new ComparatorRules(Set.copyOf(c.compare()), Set.copyOf(ignored),
        Json.compile(c.ignoreJsonPaths()), Json.compile(c.unorderedArrays()), c.numericTolerance());
  }

  /** These rules with more headers (lower-case) and JSON paths left out: learned noise (see LearnedNoise). */
  public ComparatorRules ignoring(Set<String> headers, List<JsonPath> paths) {
    Set<String> allHeaders = new HashSet<>(ignoredHeaders);
    allHeaders.addAll(headers);
    List<JsonPath> allPaths = new ArrayList<>(ignoreJsonPaths);
    allPaths.addAll(paths);
    return new ComparatorRules(axes, Set.copyOf(allHeaders), List.copyOf(allPaths), unorderedArrays, numericTolerance);
  }

  public boolean compares(CompareAxis axis) {
    return axes.contains(axis);
  }
}
