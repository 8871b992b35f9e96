package io.parallelrun.proxy.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.metrics.MismatchAxis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares legacy's and the candidate's answers by the endpoint's rules: status; headers by lowercase name
 * with order-insensitive values; body by content type (JSON semantically, text exactly, anything else by
 * SHA-256), after undoing gzip or deflate.
 */
public final class ResponseComparator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Body view when both bodies are byte-identical: nothing to show in a diff. */
  static final String IDENTICAL = "(identical)";
  private final BodyDecoder decoder;

  public ResponseComparator(BodyDecoder decoder) {
    this.decoder = decoder;
  }

  /**
   * True when {@link #compare} would certainly find no mismatch, decided without decoding or parsing a body:
   * equal status, the same headers after normalisation, byte-identical bodies under the same content-encoding.
   * This is the common case of a healthy migration, and cheap enough to run on the event loop, which then
   * needs no hand-off to the comparison pool. False says nothing: the full comparison decides.
   */
  public boolean identical(ResponseSnapshot legacy, ResponseSnapshot candidate, ComparatorRules rules) {
    if (rules.compares(CompareAxis.status) && legacy.status() != candidate.status()) return false;
    if (rules.compares(CompareAxis.body)
        && !(Arrays.equals(legacy.body(), candidate.body())
            && sameValue(legacy.header("content-encoding"), candidate.header("content-encoding")))) {
      return false;
    }
    return !rules.compares(CompareAxis.headers) || normalizedHeaders(legacy, rules).equals(normalizedHeaders(candidate, rules));
  }

  private static boolean sameValue(String a, String b) {
    return a == null ? b == null : b != null && a.trim().equalsIgnoreCase(b.trim());
  }

  public Comparison compare(ResponseSnapshot legacy, ResponseSnapshot candidate, ComparatorRules rules) {
    EnumSet<MismatchAxis> mismatches = EnumSet.noneOf(MismatchAxis.class);
    ObjectNode l = NODES.objectNode();
    ObjectNode c = NODES.objectNode();

    if (rules.compares(CompareAxis.status)) {
      l.put("status", legacy.status());
      c.put("status", candidate.status());
      if (legacy.status() != candidate.status()) mismatches.add(MismatchAxis.status);
    }
    if (rules.compares(CompareAxis.headers)) {
      ObjectNode lh = headers(legacy, rules);
      ObjectNode ch = headers(candidate, rules);
      l.set("headers", lh);
      c.set("headers", ch);
      if (!lh.equals(ch)) mismatches.add(MismatchAxis.headers);
    }
    BodyView lv = BodyView.NONE;
    BodyView cv = BodyView.NONE;
    if (rules.compares(CompareAxis.body)) {
      String legacyType = mediaType(legacy.header("content-type"));
      String candidateType = mediaType(candidate.header("content-type"));
      String type = legacyType != null ? legacyType : candidateType;
      byte[] lb = decode(legacy);
      byte[] cb = decode(candidate);
      boolean equal;
      BodyView.Form lf = BodyView.Form.RAW;
      BodyView.Form cf = BodyView.Form.RAW;
      if (Arrays.equals(lb, cb)) {
        // Fast path, the common case: identical bytes are equal under every body rule, and have no diff.
        equal = true;
        l.put("body", IDENTICAL);
        c.put("body", IDENTICAL);
        lf = BodyView.Form.NONE;
        cf = BodyView.Form.NONE;
      } else if (type != null && isJson(type) && (lb.length > 0 || cb.length > 0)) {
        JsonNode lj = parse(lb);
        JsonNode cj = parse(cb);
        if (lj != null && cj != null) {
          lj = JsonSemantics.prepare(lj, rules);
          cj = JsonSemantics.prepare(cj, rules);
          equal = JsonSemantics.equal(lj, cj, rules.numericTolerance());
          l.set("body", lj);
          c.set("body", cj);
        } else {
          // Not JSON (broken, or nested beyond the bound): compared by its bytes, which differ here.
          equal = false;
          l.set("body", lj != null ? JsonSemantics.prepare(lj, rules) : text(lb));
          c.set("body", cj != null ? JsonSemantics.prepare(cj, rules) : text(cb));
        }
        if (lj != null) lf = BodyView.Form.JSON;
        if (cj != null) cf = BodyView.Form.JSON;
      } else if (type == null || isText(type)) {
        equal = false;
        l.set("body", text(lb));
        c.set("body", text(cb));
      } else {
        String ld = digest(lb);
        String cd = digest(cb);
        equal = ld.equals(cd);
        l.put("body", ld);
        c.put("body", cd);
      }
      if (!equal) mismatches.add(MismatchAxis.body);
      lv = new BodyView(lf, legacyType, lb);
      cv = new BodyView(cf, candidateType, cb);
    }
    return new Comparison(mismatches, l, c, lv, cv);
  }

  static ObjectNode headers(ResponseSnapshot r, ComparatorRules rules) {
    ObjectNode out = NODES.objectNode();
    normalizedHeaders(r, rules).forEach((name, values) -> {
      ArrayNode arr = out.putArray(name);
      values.forEach(arr::add);
    });
    return out;
  }

  /** Lowercase names in order, ignored ones left out, values split on commas and sorted. */
  private static TreeMap<String, List<String>> normalizedHeaders(ResponseSnapshot r, ComparatorRules rules) {
    TreeMap<String, List<String>> byName = new TreeMap<>();
    for (Map.Entry<String, String> h : r.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (rules.ignoredHeaders().contains(name)) continue;
      List<String> values = byName.computeIfAbsent(name, k -> new ArrayList<>());
      if (name.equals("set-cookie")) {
        values.add(h.getValue().trim());
      } else {
        for (String v : h.getValue().split(",")) {
          values.add(v.trim());
        }
      }
    }
    byName.values().forEach(values -> values.sort(null));
    return byName;
  }

  private byte[] decode(ResponseSnapshot r) {
    try {
      return decoder.decode(r.body(), r.header("content-encoding"));
    } catch (IOException e) {
      return r.body(); // undecodable: compared as the bytes received
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) return null;
    try {
      return Json.BODIES.readTree(body);
    } catch (IOException e) { // not JSON, or nested beyond Json.MAX_BODY_NESTING_DEPTH
      return null;
    }
  }

  static String mediaType(String contentType) {
    if (contentType == null) return null;
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static boolean isJson(String type) {
    return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
  }

  static boolean isText(String type) {
    return type.startsWith("text/") || type.endsWith("+xml") || type.equals("application/xml")
        || type.equals("application/x-www-form-urlencoded") || type.equals("application/javascript");
  }

  private static JsonNode text(byte[] body) {
    return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
  }

  static String digest(byte[] body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
