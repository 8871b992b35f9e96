package io.parallelrun.testing;

import io.parallelrun.testing.MetricsDoc.MetricFamily;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric families of a Prometheus text-format scrape, named as people query them: a counter as rendered
 * (..._total), a histogram or summary by its base name with the _max gauge Micrometer adds folded into it, and
 * label names without the le and quantile that bucketing adds.
 */
public final class PrometheusScrape {
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Set<String> BUCKETING = Set.of("le", "quantile");

  private PrometheusScrape() {}

  /** Families whose name starts with prefix, keyed by name. */
  public static TreeMap<String, MetricFamily> families(String scrape, String prefix) {
    Map<String, String> types = new TreeMap<>();
    Map<String, Set<String>> labels = new TreeMap<>();
    String family = null;
    for (String line : scrape.lines().toList()) {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        family = type.group(1);
        types.put(family, type.group(2));
        labels.computeIfAbsent(family, f -> new HashSet<>());
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || family == null || !sample.matches() || sample.group(2) == null) continue;
      Matcher label = LABEL.matcher(sample.group(2));
      while (label.find()) {
        if (!BUCKETING.contains(label.group(1))) labels.get(family).add(label.group(1));
      }
    }

    TreeMap<String, MetricFamily> families = new TreeMap<>();
    types.forEach((name, type) -> {
      if (!name.startsWith(prefix)) return;
      String base = name.endsWith("_max") ? name.substring(0, name.length() - 4) : null;
      boolean maxOfTimer = base != null && ("histogram".equals(types.get(base)) || "summary".equals(types.get(base)));
      if (maxOfTimer) return;
      String rendered = "counter".equals(type) && !name.endsWith("_total") ? name + "_total" : name;
      families.put(rendered, new MetricFamily(rendered, type, labels.get(name)));
    });
    return families;
  }
}
