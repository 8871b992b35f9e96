package io.parallelrun.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * Lists endpoints in the approve or rollback annotation with one JSON merge patch of that annotation alone, so
 * nothing else of the run is written (and no resourceVersion: the operator's writes cannot make it fail with 409).
 */
final class AnnotationEdit {
  private AnnotationEdit() {}

  static Change add(Runs runs, String name, String annotation, List<String> endpoints, String note) {
    JsonNode run = runs.get(name);
    if (!endpoints.contains(EndpointList.ALL)) Runs.requireEndpoints(run, endpoints);
    JsonNode current = run.path("metadata").path("annotations").path(annotation);
    String before = current.isTextual() ? current.asText() : null;
    String after = EndpointList.with(before, endpoints);
    if (after.equals(before)) {
      return new Change(runs.namespace(), name, "annotation " + annotation, before, after, false, null);
    }
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(annotation, after);
    runs.mergePatch(name, patch);
    return new Change(runs.namespace(), name, "annotation " + annotation, before, after, true, note);
  }
}
