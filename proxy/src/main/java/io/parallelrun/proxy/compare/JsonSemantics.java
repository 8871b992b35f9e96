package io.parallelrun.proxy.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Semantic JSON comparison: key order never matters, numbers compare by value (1 equals 1.0) within a
 * tolerance, ignored paths are removed and unordered arrays sorted before comparing.
 */
public final class JsonSemantics {
  private JsonSemantics() {}

  /** Removes ignored paths, sorts unordered arrays and normalises numbers; returns the prepared tree. */
  public static JsonNode prepare(JsonNode node, ComparatorRules rules) {
    JsonNode doc = normalize(node);
    for (JsonPath p : rules.ignoreJsonPaths()) {
      if (p.getPath().equals("$")) return JsonNodeFactory.instance.nullNode();
      if (doc.isContainerNode()) p.delete(doc, Json.PATHS); // edits in place
    }
    for (JsonPath p : rules.unorderedArrays()) {
      if (p.getPath().equals("$")) {
        doc = sortArray(doc);
      } else {
        if (doc.isContainerNode()) p.map(doc, (value, conf) -> sortArray((JsonNode) value), Json.PATHS);
      }
    }
    return doc;
  }

  public static boolean equal(JsonNode a, JsonNode b, double tolerance) {
    if (a.isNumber() && b.isNumber()) return numbersEqual(a.decimalValue(), b.decimalValue(), tolerance);
    if (a.getNodeType() != b.getNodeType()) return false;
    if (a.isObject()) {
      if (a.size() != b.size()) return false;
      Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !equal(e.getValue(), other, tolerance)) return false;
      }
      return true;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i), tolerance)) return false;
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * Cost bounded by the digits written (Jackson reads at most 1000), never by the exponent: exact subtraction of
   * 1e20000000 and 1e-20000000 builds a 40-million-digit number (24 s of the comparison thread). compareTo
   * aligns scales only when both numbers have the same order of magnitude, and a subtraction rounded to a
   * MathContext first reduces an operand that cannot affect the result's leading digits to a token one.
   */
  static boolean numbersEqual(BigDecimal a, BigDecimal b, double tolerance) {
    if (a.compareTo(b) == 0) return true;
    if (tolerance == 0) return false;
    return a.subtract(b, MathContext.DECIMAL128).abs().compareTo(BigDecimal.valueOf(tolerance)) <= 0;
  }

  /** Numbers as stripped decimals (so 1, 1.0 and 1.00 look alike in diffs and sort keys), keys sorted. */
  static JsonNode normalize(JsonNode node) {
    if (node.isNumber()) {
      BigDecimal d = node.decimalValue().stripTrailingZeros();
      return d.scale() <= 0 && d.precision() - d.scale() < 19
          ? JsonNodeFactory.instance.numberNode(d.longValueExact())
          : com.fasterxml.jackson.databind.node.DecimalNode.valueOf(d);
    }
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), normalize(e.getValue())));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(n -> out.add(normalize(n)));
      return out;
    }
    return node;
  }

  private static JsonNode sortArray(JsonNode node) {
    if (node == null || !node.isArray()) return node;
    List<JsonNode> items = new ArrayList<>(node.size());
    node.forEach(items::add);
    items.sort(Comparator.comparing(JsonNode::toString));
    ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
    items.forEach(out::add);
    return out;
  }
}
