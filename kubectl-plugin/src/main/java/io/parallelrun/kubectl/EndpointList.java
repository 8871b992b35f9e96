package io.parallelrun.kubectl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The value of the approve and rollback annotations: endpoint names, comma-separated (docs/api.md,
 * Annotations), where "*" (rollback only) means every endpoint. Adding keeps the order and never repeats a name.
 */
final class EndpointList {
  static final String ALL = "*";

  private EndpointList() {}

  static List<String> parse(String value) {
    if (value == null) return List.of();
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The annotation's value once {@code added} are listed too; "*" absorbs everything. */
  static String with(String current, List<String> added) {
    Set<String> names = new LinkedHashSet<>(parse(current));
    names.addAll(added);
    if (names.contains(ALL)) return ALL;
    return String.join(",", new ArrayList<>(names));
  }
}
