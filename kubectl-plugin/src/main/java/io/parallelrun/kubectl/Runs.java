package io.parallelrun.kubectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ParallelRuns of one namespace, read as JSON trees rather than as {@link ParallelRun} objects, so that fields
 * newer than this plugin's model are not dropped on the way (a merge patch is built from the tree), and a state
 * newer than this plugin still shows by name. The parts a command reads as the api model ({@link #spec},
 * {@link #endpointStatuses}) are read tolerantly for the same reason.
 * Writes are JSON merge patches without a resourceVersion, as {@code kubectl patch} and {@code kubectl annotate}
 * send them: a read-modify-write update would race the operator's own writes and fail with 409.
 */
final class Runs {
  static final ResourceDefinitionContext PARALLEL_RUNS = new ResourceDefinitionContext.Builder()
      .withGroup(ParallelRun.GROUP).withVersion(ParallelRun.VERSION).withKind("ParallelRun")
      .withPlural("parallelruns").withNamespaced(true).build();

  /** The api model from a tree: fields newer than this plugin are skipped, enum values it does not know are null. */
  private static final ObjectMapper MODEL = Serialization.jsonMapper().copy()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

  private final KubernetesClient client;
  private final String namespace;

  Runs(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  String namespace() {
    return namespace;
  }

  /** The run, or a {@link UserError} naming it and the namespace. */
  JsonNode get(String name) {
    GenericKubernetesResource run = resource(name).get();
    if (run == null) {
      throw new UserError("parallelrun \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return Serialization.jsonMapper().valueToTree(run);
  }

  List<JsonNode> list() {
    List<JsonNode> runs = new ArrayList<>();
    client.genericKubernetesResources(PARALLEL_RUNS).inNamespace(namespace).list().getItems()
        .forEach(r -> runs.add(Serialization.jsonMapper().valueToTree(r)));
    return runs;
  }

  /** Applies a JSON merge patch to the run and returns the run as the API server answered. */
  JsonNode mergePatch(String name, JsonNode patch) {
    GenericKubernetesResource patched = resource(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    return Serialization.jsonMapper().valueToTree(patched);
  }

  private Resource<GenericKubernetesResource> resource(String name) {
    return client.genericKubernetesResources(PARALLEL_RUNS).inNamespace(namespace).withName(name);
  }

  /** The names in spec.endpoints[], in order. */
  static List<String> endpointNames(JsonNode run) {
    List<String> names = new ArrayList<>();
    run.path("spec").path("endpoints").forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  /** spec as the api model, for {@link io.parallelrun.api.SpecDefaults}. */
  static ParallelRunSpec spec(JsonNode run) {
    return model(run.path("spec"), ParallelRunSpec.class, "spec of parallelrun " + qualifiedName(run));
  }

  /** status.endpoints[] as the api model, by endpoint name, in status order. */
  static Map<String, EndpointStatus> endpointStatuses(JsonNode run) {
    Map<String, EndpointStatus> statuses = new LinkedHashMap<>();
    JsonNode endpoints = run.path("status").path("endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointStatus status = model(endpoints.get(i), EndpointStatus.class,
          "status.endpoints[" + i + "] of parallelrun " + qualifiedName(run));
      if (status.getName() != null) statuses.put(status.getName(), status);
    }
    return statuses;
  }

  private static <T> T model(JsonNode node, Class<T> type, String what) {
    try {
      return MODEL.treeToValue(node.isMissingNode() ? MODEL.createObjectNode() : node, type);
    } catch (JsonProcessingException e) {
      throw new UserError("cannot read the " + what + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Fails, naming the run and its endpoints, unless every name is one of the run's endpoints. */
  static void requireEndpoints(JsonNode run, List<String> names) {
    List<String> known = endpointNames(run);
    List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw new UserError((unknown.size() == 1 ? "unknown endpoint \"" : "unknown endpoints \"")
          + String.join("\", \"", unknown) + "\" in parallelrun " + qualifiedName(run)
          + "; its endpoints are: " + String.join(", ", known));
    }
  }

  static String qualifiedName(JsonNode run) {
    return run.path("metadata").path("namespace").asText() + "/" + run.path("metadata").path("name").asText();
  }
}
