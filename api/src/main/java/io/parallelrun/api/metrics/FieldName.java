package io.parallelrun.api.metrics;

import java.util.Optional;

/**
 * The values of the {@link MetricLabels#FIELD} label, shared by the proxy that names the fields, the operator that
 * reads them into status and the kubectl plugin that turns them into comparator rules. A name never holds a value.
 */
public final class FieldName {
  public static final String STATUS = "status";
  /** A body that is not JSON on both sides: no path to name. */
  public static final String BODY = "body";
  public static final String HEADER_PREFIX = "header:";
  public static final String BODY_PREFIX = "body:";
  /**
   * Longest field name anyone takes from outside: the proxy names fields of at most about 210 characters (a JSON path
   * of at most 200 and its prefix), so a longer one read back from status or Prometheus was not made by a proxy.
   */
  public static final int MAX_LENGTH = 256;

  /** The comparator rule list that can leave a field out. */
  public enum RuleList { ignoreHeaders, ignoreJsonPaths }

  /** A comparator rule: the list and the entry to add to it. */
  public record Rule(RuleList list, String entry) {
    /** As status shows it and the plugin prints it: {@code ignoreHeaders: [x-served-by]}. */
    @Override
    public String toString() {
      return list + ": [" + (list == RuleList.ignoreJsonPaths ? "\"" + entry + "\"" : entry) + "]";
    }
  }

  private FieldName() {}

  public static String header(String lowerCaseName) {
    return HEADER_PREFIX + lowerCaseName;
  }

  public static String body(String jsonPath) {
    return BODY_PREFIX + jsonPath;
  }

  /**
   * The rule that leaves this field out of comparisons, if a rule can: a header or a JSON path. Status, a body that
   * is not JSON and {@link MetricLabels#OTHER_FIELD} cannot be named by one.
   */
  public static Optional<Rule> rule(String field) {
    if (field == null) return Optional.empty();
    if (field.startsWith(HEADER_PREFIX) && field.length() > HEADER_PREFIX.length()) {
      return Optional.of(new Rule(RuleList.ignoreHeaders, field.substring(HEADER_PREFIX.length())));
    }
    if (field.startsWith(BODY_PREFIX + "$") && field.length() > BODY_PREFIX.length() + 1) {
      return Optional.of(new Rule(RuleList.ignoreJsonPaths, field.substring(BODY_PREFIX.length())));
    }
    return Optional.empty();
  }
}
