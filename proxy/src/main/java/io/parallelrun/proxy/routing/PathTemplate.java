package io.parallelrun.proxy.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled endpoint path template: literal segments, {@code {param}} for exactly one non-empty segment,
 * and a trailing {@code /**} for the rest of the path (zero or more segments).
 */
public final class PathTemplate {
  private final String template;
  private final String[] segments; // null entry = {param}
  private final boolean rest;

  private PathTemplate(String template, String[] segments, boolean rest) {
    this.template = template;
    this.segments = segments;
    this.rest = rest;
  }

  public static PathTemplate compile(String template) {
    String body = template;
    boolean rest = false;
    if (body.equals("/**")) {
      return new PathTemplate(template, new String[0], true);
    }
    if (body.endsWith("/**")) {
      rest = true;
      body = body.substring(0, body.length() - 3);
    }
    List<String> parts = new ArrayList<>();
    if (!body.equals("/") && !body.isEmpty()) {
      for (String s : body.substring(1).split("/", -1)) {
        parts.add(s.startsWith("{") && s.endsWith("}") ? null : s);
      }
    }
    return new PathTemplate(template, parts.toArray(new String[0]), rest);
  }

  /** @param path the raw request path, without query string. */
  public boolean matches(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') return false;
    int pos = 1;
    int len = path.length();
    if (segments.length == 0) {
      return rest || len == 1;
    }
    for (int i = 0; i < segments.length; i++) {
      if (pos > len) return false;
      int slash = path.indexOf('/', pos);
      int end = slash < 0 ? len : slash;
      String literal = segments[i];
      if (literal == null) {
        if (end == pos) return false; // empty segment never matches {param}
      } else if (end - pos != literal.length() || !path.regionMatches(pos, literal, 0, literal.length())) {
        return false;
      }
      boolean last = i == segments.length - 1;
      if (last) {
        if (end == len) return true;
        return rest; // there is a '/' and more
      }
      if (slash < 0) return false;
      pos = slash + 1;
    }
    return false;
  }

  /** Higher is more specific: literal segments beat parameters, fixed length beats a trailing /**. */
  public int specificity() {
    int score = 0;
    for (String s : segments) {
      score += s == null ? 2 : 3;
    }
    return score * 2 + (rest ? 0 : 1);
  }

  @Override
  public String toString() {
    return template;
  }
}
