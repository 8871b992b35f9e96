package io.parallelrun.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Sets spec.paused (pause) or removes it (resume, back to the default false) with one JSON merge patch. The
 * operator never writes spec, but a GitOps controller does: it puts Git's value back, so the note says so.
 */
final class PausedEdit {
  static final String GITOPS_NOTE = "if a GitOps tool (Argo CD, Flux) manages this ParallelRun, it puts Git's "
      + "spec.paused back at its next sync: make the change in Git to keep it";

  private PausedEdit() {}

  static Change set(Runs runs, String name, boolean paused) {
    JsonNode run = runs.get(name);
    JsonNode current = run.path("spec").path("paused");
    String before = current.isBoolean() ? current.asText() : null;
    String after = paused ? "true" : null;
    if (paused == current.asBoolean(false) && (paused || before == null)) {
      return new Change(runs.namespace(), name, "spec.paused", before, before, false, null);
    }
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    ObjectNode spec = patch.putObject("spec");
    if (paused) spec.put("paused", true); else spec.putNull("paused");
    runs.mergePatch(name, patch);
    return new Change(runs.namespace(), name, "spec.paused", before, after, true, GITOPS_NOTE);
  }
}
