package io.parallelrun.testing;

import io.parallelrun.api.metrics.Metric;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric tables of docs/metrics.md, read the way a person reads them: in the section under a given heading,
 * every table row whose first cell is a backticked metric name, with its type and the backticked label names of
 * its labels cell. Tests compare this with what a registry renders, so the doc and the code cannot drift.
 */
public final class MetricsDoc {
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|([^|]*)\\|([^|]*)\\|.*$");
  private static final Pattern BACKTICKED = Pattern.compile("`([a-z_][a-z0-9_]*)`");

  private MetricsDoc() {}

  public static Path file() {
    return RepoFiles.root().resolve("docs/metrics.md");
  }

  /** The rows of the section under the heading (a line such as "## Proxy"), keyed by metric name. */
  public static TreeMap<String, MetricFamily> section(String markdown, String heading) {
    List<String> lines = markdown.lines().toList();
    int start = lines.indexOf(heading);
    if (start < 0) throw new IllegalArgumentException("docs/metrics.md has no heading line '" + heading + "'");
    String level = heading.substring(0, heading.indexOf(' ') + 1);
    TreeMap<String, MetricFamily> rows = new TreeMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith(level)) break;
      Matcher row = ROW.matcher(line);
      if (!row.matches()) continue;
      Set<String> labels = new LinkedHashSet<>();
      Matcher label = BACKTICKED.matcher(row.group(3));
      while (label.find()) labels.add(label.group(1));
      MetricFamily previous = rows.put(row.group(1), new MetricFamily(row.group(1), row.group(2).trim(), labels));
      if (previous != null) throw new IllegalArgumentException("docs/metrics.md lists " + row.group(1) + " twice");
    }
    return rows;
  }

  /** A metric family as documented, as rendered or as the contract defines it: name, Prometheus type and label names. */
  public record MetricFamily(String name, String type, Set<String> labels) {
    public MetricFamily {
      labels = Set.copyOf(labels);
    }

    /** The family a metric of the contract in api/ renders. */
    public static MetricFamily of(Metric metric) {
      return new MetricFamily(metric.prometheusName(), metric.type().name(), Set.copyOf(metric.labels()));
    }
  }
}
