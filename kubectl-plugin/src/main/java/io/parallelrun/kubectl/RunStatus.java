package io.parallelrun.kubectl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.ParallelRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code status} shows of one ParallelRun: the run's phase and, per endpoint, what the operator wrote in
 * status.endpoints[] (an endpoint of spec not yet in status shows with its name only). {@code -o json|yaml} print
 * this record; the table is {@link StatusTable}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunStatus(String namespace, String name, String phase, String cutOver, boolean paused,
    String lastAnalysisTime, List<Endpoint> endpoints) {

  /**
   * @param differences status.endpoints[].differences as the operator wrote it (issue 24: field, share of the
   *     window's comparisons, noise, suggested rule), or null while the operator writes none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Endpoint(String name, Integer weight, String state, Double matchRate, Long samples, String message,
      JsonNode differences) {}

  static RunStatus of(ParallelRun run) {
    return of((JsonNode) Serialization.jsonMapper().valueToTree(run));
  }

  static RunStatus of(JsonNode run) {
    JsonNode status = run.path("status");
    Map<String, JsonNode> reported = new TreeMap<>();
    status.path("endpoints").forEach(e -> reported.put(e.path("name").asText(), e));
    List<Endpoint> endpoints = new ArrayList<>();
    for (String name : Runs.endpointNames(run)) {
      JsonNode e = reported.getOrDefault(name, Serialization.jsonMapper().createObjectNode());
      endpoints.add(new Endpoint(name, e.hasNonNull("weight") ? e.get("weight").asInt() : null, text(e, "state"),
          e.hasNonNull("matchRate") ? e.get("matchRate").asDouble() : null,
          e.hasNonNull("samples") ? e.get("samples").asLong() : null, text(e, "message"),
          e.path("differences").isArray() ? e.get("differences") : null));
    }
    JsonNode metadata = run.path("metadata");
    return new RunStatus(metadata.path("namespace").asText(), metadata.path("name").asText(), text(status, "phase"),
        text(status, "cutOver"), run.path("spec").path("paused").asBoolean(false), text(status, "lastAnalysisTime"),
        endpoints);
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }
}
