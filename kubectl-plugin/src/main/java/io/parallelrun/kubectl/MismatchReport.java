package io.parallelrun.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What {@code diff} shows: one endpoint's newest mismatch samples from every proxy asked. {@code -o json|yaml}
 * print this record; {@link #toString()} is the text form.
 *
 * @param sources the proxies asked (pod names, or the --proxy-url)
 * @param total the endpoint's samples found, before --limit
 * @param omitted samples the proxies left out of their answers (--max-mismatches-bytes)
 * @param endpointsWithSamples every endpoint the proxies hold samples for, to point at when this one has none
 */
record MismatchReport(String parallelRun, String endpoint, List<String> sources, int total, long omitted,
    List<String> endpointsWithSamples, List<ObjectNode> samples) {
  private static final int LONGEST_VALUE = 200;

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append("parallelrun ").append(p(parallelRun)).append(", endpoint ").append(p(endpoint)).append(": ");
    if (samples.isEmpty()) {
      out.append("no mismatch samples from ").append(p(String.join(", ", sources)));
      if (!endpointsWithSamples.isEmpty()) {
        out.append(" (samples exist for: ").append(p(String.join(", ", endpointsWithSamples))).append(')');
      }
      return out.append('\n').toString();
    }
    out.append(total > samples.size() ? "the newest " + samples.size() + " of " + total : String.valueOf(total))
        .append(total == 1 ? " sample" : " samples").append(" from ").append(p(String.join(", ", sources)))
        .append(", newest first, redacted by the proxy").append('\n');
    if (omitted > 0) out.append(omitted).append(" more left out by the proxies (--max-mismatches-bytes)\n");
    for (ObjectNode sample : samples) {
      out.append('\n').append(p(sample.path("time").asText("?"))).append("  ").append(p(sample.path("source").asText()))
          .append("  ").append(p(sample.path("method").asText())).append(' ').append(p(sample.path("path").asText()));
      if (sample.hasNonNull("query")) out.append('?').append(p(sample.get("query").asText()));
      out.append("  answered by ").append(p(sample.path("answeredBy").asText("?"))).append("  differs in ")
          .append(p(axes(sample.path("axes")))).append('\n');
      for (JsonNode op : sample.path("diff")) out.append("  ").append(p(operation(op))).append('\n');
      if (sample.hasNonNull("diffTruncated")) out.append("  (").append(p(sample.get("diffTruncated").asText())).append(")\n");
    }
    return out.toString();
  }

  /** Every piece of a sample is shown through {@link Terminal}: a backend chose some of it. */
  private static String p(String text) {
    return Terminal.printable(text);
  }

  private static String axes(JsonNode axes) {
    StringBuilder s = new StringBuilder();
    axes.forEach(a -> s.append(s.isEmpty() ? "" : ",").append(a.asText()));
    return s.isEmpty() ? "?" : s.toString();
  }

  /** A JSON-Patch operation from legacy to candidate: "replace /body/total: 10 -> 12". */
  private static String operation(JsonNode op) {
    String path = op.path("path").asText();
    return switch (op.path("op").asText()) {
      case "replace" -> "replace " + path + ": " + value(op.get("fromValue")) + " -> " + value(op.get("value"));
      case "add" -> "add " + path + ": " + value(op.get("value"));
      case "remove" -> "remove " + path + (op.has("value") ? ": " + value(op.get("value")) : "");
      default -> op.path("op").asText() + " " + path;
    };
  }

  private static String value(JsonNode value) {
    if (value == null) return "?";
    String text = value.toString();
    return text.length() <= LONGEST_VALUE ? text : text.substring(0, LONGEST_VALUE) + "...";
  }
}
