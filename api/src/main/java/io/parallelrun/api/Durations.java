package io.parallelrun.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Go-style durations as written in manifests: 500ms, 30s, 10m, 1h30m. */
public final class Durations {
  /** Also the CRD's pattern, so what the API server accepts always parses here. */
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || !text.matches(PATTERN)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 10m or 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return total;
  }

  /** Prometheus range selector form, e.g. 600s. */
  public static String toPromQl(Duration d) {
    return Math.max(1, d.toSeconds()) + "s";
  }
}
