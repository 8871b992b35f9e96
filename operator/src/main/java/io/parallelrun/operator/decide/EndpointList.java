package io.parallelrun.operator.decide;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** An annotation value naming endpoints: comma-separated names, blanks ignored, or "*" for all of them. */
record EndpointList(Set<String> names) {
  static final EndpointList NONE = new EndpointList(Set.of());

  static EndpointList fromAnnotation(Map<String, String> annotations, String key) {
    String value = annotations == null ? null : annotations.get(key);
    if (value == null || value.isBlank()) return NONE;
    return new EndpointList(Arrays.stream(value.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()));
  }

  boolean contains(String endpoint) {
    return names.contains(endpoint) || names.contains("*");
  }
}
