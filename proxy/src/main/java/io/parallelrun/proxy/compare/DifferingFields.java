package io.parallelrun.proxy.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelrun.api.metrics.FieldName;
import io.parallelrun.api.metrics.MismatchAxis;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Names the fields at which two compared answers differ, for parallelrun_mismatch_fields_total: {@code status},
 * {@code header:<lower-case name>}, {@code body:<JSON path>}, or {@code body} for a body that is not JSON on both
 * sides. It reads the {@link Comparison}'s views, which hold the answers after the endpoint's rules (ignored
 * headers and JSON paths removed, unordered arrays sorted), so an ignored field is never named.
 *
 * <p>A name must hold no value and must not grow with the data, as it becomes a metric label: array indices become
 * {@code [*]} and object keys that look like data rather than schema become {@code *} (see {@link #isDataLike}).
 * The path has the form of the comparator's {@code ignoreJsonPaths} ({@code $.items[*].price}), so a field can be
 * pasted as a rule. A field may be named many times (every item of an array); the caller counts it once.
 */
public final class DifferingFields {
  /** Keys longer than this are data (ids, tokens, encoded values), not schema. */
  static final int MAX_KEY_LENGTH = 64;
  /**
   * Longest path named: a field deeper than that is named by its deepest ancestor within it (still a valid rule, a
   * broader one), so that a label stays short however deep a body nests (up to 128 levels).
   */
  static final int MAX_PATH_LENGTH = 200;
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private DifferingFields() {}

  /** Gives each field at which the unmatched comparison differs to the sink, at least once. */
  public static void of(Comparison c, ComparatorRules rules, Consumer<String> sink) {
    if (c.mismatches().contains(MismatchAxis.status)) sink.accept(FieldName.STATUS);
    if (c.mismatches().contains(MismatchAxis.headers)) {
      headers(c.legacy().path("headers"), c.candidate().path("headers"), sink);
    }
    if (c.mismatches().contains(MismatchAxis.body)) {
      boolean json = c.legacyBody().form() == BodyView.Form.JSON && c.candidateBody().form() == BodyView.Form.JSON;
      if (json) {
        NotingSink named = new NotingSink(sink);
        json(c.legacy().get("body"), c.candidate().get("body"), Path.ROOT, rules.numericTolerance(), named);
        // cannot happen for bodies that compared unequal; never count nothing
        if (!named.any) sink.accept(FieldName.BODY);
      } else {
        sink.accept(FieldName.BODY);
      }
    }
  }

  /** The view's headers: lower-case name → sorted values, ignored ones already left out. */
  private static void headers(JsonNode legacy, JsonNode candidate, Consumer<String> sink) {
    legacy.fields().forEachRemaining(h -> {
      if (!h.getValue().equals(candidate.get(h.getKey()))) sink.accept(FieldName.header(name(h.getKey())));
    });
    candidate.fieldNames().forEachRemaining(name -> {
      if (!legacy.has(name)) sink.accept(FieldName.header(name(name)));
    });
  }

  private static void json(JsonNode a, JsonNode b, Path path, double tolerance, Consumer<String> sink) {
    if (a == null || b == null) {
      sink.accept(path.field()); // present on one side only
    } else if (a.isObject() && b.isObject()) {
      int i = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); i++) {
        Map.Entry<String, JsonNode> e = it.next();
        json(e.getValue(), b.get(e.getKey()), path.key(e.getKey(), i), tolerance, sink);
      }
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!a.has(key)) sink.accept(path.key(key).field());
      }
    } else if (a.isArray() && b.isArray()) {
      Path items = path.items();
      if (a.size() != b.size()) sink.accept(items.field()); // items only one side has
      for (int i = 0, n = Math.min(a.size(), b.size()); i < n; i++) json(a.get(i), b.get(i), items, tolerance, sink);
    } else if (!a.equals(b) && !JsonSemantics.equal(a, b, tolerance)) { // most leaves are equal: cheap test first
      sink.accept(path.field());
    }
  }

  /**
   * Where the walk is, as the raw steps from the root: written out as a field name only for a field that differs,
   * so that the many equal parts of a body cost no string. The items of an array share their paths (and a field
   * name, written out once), however many items differ there.
   */
  private static final class Path {
    static final Path ROOT = new Path(null, null, false);
    static final String ITEMS = "[*]";

    private final Path parent;
    private final String key; // null for the items of an array
    private final boolean shared; // reached once per item of an array
    private Map<String, Path> children;
    private Path[] byPosition; // the children of a shared path by the position of their key, a guess
    private Path items;
    private String field;

    private Path(Path parent, String key, boolean shared) {
      this.parent = parent;
      this.key = key;
      this.shared = shared;
    }

    Path key(String k) {
      return key(k, -1);
    }

    /**
     * The step to key k, the position-th key of its object. The items of an array mostly have the same keys, in
     * the same (sorted) order: a shared path finds its child by position first, by name only when that misses.
     */
    Path key(String k, int position) {
      if (!shared) return new Path(this, k, false);
      if (byPosition != null && position >= 0 && position < byPosition.length) {
        Path guess = byPosition[position];
        if (guess != null && guess.key.equals(k)) return guess;
      }
      if (children == null) {
        children = new HashMap<>();
        byPosition = new Path[8];
      }
      Path child = children.computeIfAbsent(k, c -> new Path(this, c, true));
      if (position >= 0 && position < byPosition.length) byPosition[position] = child;
      return child;
    }

    Path items() {
      if (items == null) items = new Path(this, null, true);
      return items;
    }

    String field() {
      if (field == null) {
        StringBuilder b = new StringBuilder(FieldName.BODY_PREFIX).append('$');
        append(b, FieldName.BODY_PREFIX.length() + MAX_PATH_LENGTH);
        field = b.toString();
      }
      return field;
    }

    /** Appends the steps from the root, those that fit within max characters. @return false once one did not */
    private boolean append(StringBuilder b, int max) {
      if (parent == null) return true;
      if (!parent.append(b, max)) return false;
      String step = key == null ? ITEMS : "." + name(key);
      if (b.length() + step.length() > max) return false;
      b.append(step);
      return true;
    }
  }

  /** A key or header name as a field name holds it: itself, or {@code *} when it is data. */
  static String name(String key) {
    return isDataLike(key) ? "*" : key;
  }

  /**
   * True for a key that holds data rather than names a field of a schema: all digits (ids, card numbers), holding a
   * UUID, longer than {@link #MAX_KEY_LENGTH}, or with a character outside {@code [A-Za-z0-9_-]} (e-mail addresses,
   * URLs, dates, free text). Such keys would make one series per value, and may be personal data.
   */
  static boolean isDataLike(String key) {
    int n = key.length();
    if (n == 0 || n > MAX_KEY_LENGTH) return true;
    // One pass over the characters rather than three regular expressions: it runs for every key of every item of
    // every mismatched body, on the comparison thread.
    boolean digitsOnly = true;
    int dashes = 0;
    for (int i = 0; i < n; i++) {
      char ch = key.charAt(i);
      if (ch >= '0' && ch <= '9') continue;
      digitsOnly = false;
      if (ch == '-') {
        dashes++;
      } else if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_')) {
        return true; // outside [A-Za-z0-9_-]
      }
    }
    return digitsOnly || n >= 36 && dashes >= 4 && UUID.matcher(key).find();
  }

  /** Passes fields on, noting whether there was any. */
  private static final class NotingSink implements Consumer<String> {
    private final Consumer<String> sink;
    private boolean any;

    NotingSink(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public void accept(String field) {
      any = true;
      sink.accept(field);
    }
  }
}
