package io.parallelrun.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Go-style durations as written in manifests: 500ms, 30s, 10m, 1h30m. */
public final class Durations {
  /**
   * Also the CRD's pattern, so what the API server accepts always parses here. At most four parts of at most five
   * digits: the largest, 4 x 99999h, neither overflows here nor in the API server's CEL duration().
   */
  public static final String PATTERN = "^([0-9]{1,5}(ms|s|m|h)){1,4}$";
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

  /**
   * The duration of a spec field, which must lie within [min, max] (the same bounds as the field's CEL rule).
   *
   * @param field the field's path, e.g. {@code spec.analysis.interval}, which starts the error message
   * @throws IllegalArgumentException naming the field when the text is no duration or out of bounds
   */
  public static Duration parse(String field, String text, String min, String max) {
    Duration value;
    try {
      value = parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
    if (value.compareTo(parse(min)) < 0 || value.compareTo(parse(max)) > 0) {
      throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + ", was " + text);
    }
    return value;
  }

  /**
   * The value of a command-line flag or its environment variable, for both binaries: the form the spec uses, or a
   * bare {@code 0}. Any other bare number is refused rather than guessed: the proxy used to read it as
   * milliseconds and the operator as seconds.
   *
   * @param flag the flag's name, e.g. {@code --shadow-timeout}, which starts the error message
   */
  public static Duration ofFlag(String flag, String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("0")) return Duration.ZERO;
    if (t.matches("[0-9]+")) {
      throw new IllegalArgumentException(flag + ": '" + t + "' has no unit: write " + t + "ms, " + t + "s or " + t + "m");
    }
    try {
      return parse(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  /** Prometheus range selector form, e.g. 600s. */
  public static String toPromQl(Duration d) {
    return Math.max(1, d.toSeconds()) + "s";
  }
}
