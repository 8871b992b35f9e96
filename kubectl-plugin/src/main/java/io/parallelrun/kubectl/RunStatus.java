package io.parallelrun.kubectl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.ParallelRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} shows of one ParallelRun: the run's phase and, per endpoint, what the operator wrote in
 * status.endpoints[] (an endpoint of spec not yet in status shows with its name only). {@code -o json|yaml} print
 * this record; the table is {@link StatusTable}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunStatus(String namespace, String name, String phase, String cutOver, boolean paused,
    String lastAnalysisTime, List<Endpoint> endpoints) {

  /**
   * @param state the state's name as written, so that a state newer than this plugin still shows
   * @param differences status.endpoints[].differences: the fields that differed most, whether each is noise, the
   *     rule that would leave it out; null while the operator writes none
   * @param ignoredNoise status.endpoints[].ignoredNoise: fields a proxy leaves out as learned noise; null if none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Endpoint(String name, Integer weight, String state, Double matchRate, Long samples, String message,
      List<FieldDifference> differences, List<String> ignoredNoise) {}

  static RunStatus of(ParallelRun run) {
    return of((JsonNode) Serialization.jsonMapper().valueToTree(run));
  }

  static RunStatus of(JsonNode run) {
    JsonNode status = run.path("status");
    Map<String, EndpointStatus> reported = Runs.endpointStatuses(run);
    List<Endpoint> endpoints = new ArrayList<>();
    for (String name : Runs.endpointNames(run)) {
      EndpointStatus e = reported.getOrDefault(name, new EndpointStatus());
      endpoints.add(new Endpoint(name, e.getWeight(), stateName(status, name), e.getMatchRate(), e.getSamples(),
          e.getMessage(), e.getDifferences(), e.getIgnoredNoise()));
    }
    JsonNode metadata = run.path("metadata");
    return new RunStatus(metadata.path("namespace").asText(), metadata.path("name").asText(), text(status, "phase"),
        text(status, "cutOver"), run.path("spec").path("paused").asBoolean(false), text(status, "lastAnalysisTime"),
        endpoints);
  }

  /** The endpoint's state as the operator wrote it, not as this plugin's enum knows it. */
  private static String stateName(JsonNode status, String endpoint) {
    for (JsonNode e : status.path("endpoints")) {
      if (e.path("name").asText().equals(endpoint)) return text(e, "state");
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }
}
