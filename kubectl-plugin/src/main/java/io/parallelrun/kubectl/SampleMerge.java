package io.parallelrun.kubectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Merges the /mismatches answers of several proxies (one per pod) into one endpoint's samples, newest first, each
 * marked with the proxy it came from. The samples are shown as the proxy stored them: redacted before storing.
 */
final class SampleMerge {
  /** One proxy's /mismatches answer, {"endpoints": {"name": [samples...]}, "omitted": n}. */
  record Answer(String source, String json) {}

  private SampleMerge() {}

  static MismatchReport merge(String run, String endpoint, List<Answer> answers, int limit) {
    List<ObjectNode> samples = new ArrayList<>();
    TreeSet<String> endpointsWithSamples = new TreeSet<>();
    long omitted = 0;
    for (Answer answer : answers) {
      JsonNode root = parse(answer);
      root.path("endpoints").fieldNames().forEachRemaining(endpointsWithSamples::add);
      omitted += root.path("omitted").asLong(0);
      for (JsonNode sample : root.path("endpoints").path(endpoint)) {
        if (!sample.isObject()) continue;
        ObjectNode marked = ((ObjectNode) sample).deepCopy();
        marked.put("source", answer.source());
        samples.add(marked);
      }
    }
    samples.sort(Comparator.comparing(SampleMerge::time).reversed());
    int total = samples.size();
    List<ObjectNode> newest = samples.subList(0, Math.min(limit, total));
    return new MismatchReport(run, endpoint, answers.stream().map(Answer::source).toList(), total, omitted,
        List.copyOf(endpointsWithSamples), List.copyOf(newest));
  }

  private static JsonNode parse(Answer answer) {
    try {
      JsonNode root = Serialization.jsonMapper().readTree(answer.json());
      if (!root.path("endpoints").isObject()) {
        throw new UserError(answer.source() + ": /mismatches is not a proxy's answer (no \"endpoints\" object)");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new UserError(answer.source() + ": /mismatches is not JSON: " + e.getOriginalMessage());
    }
  }

  /** A sample without a readable time sorts last. */
  private static Instant time(JsonNode sample) {
    try {
      return Instant.parse(sample.path("time").asText());
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }
}
