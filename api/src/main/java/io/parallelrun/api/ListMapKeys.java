package io.parallelrun.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * CRD-generation hook that marks list properties as {@code x-kubernetes-list-type: map} keyed by one field.
 * The API server then rejects duplicate keys itself and server-side apply merges items by key.
 * Input: "property=key,property=key".
 */
public final class ListMapKeys implements SchemaCustomizer.Customizer {
  @Override
  public JSONSchemaProps apply(JSONSchemaProps input, String spec, KubernetesSerialization serialization) {
    for (String pair : spec.split(",")) {
      String[] parts = pair.trim().split("=");
      JSONSchemaProps list = input.getProperties().get(parts[0]);
      if (list == null) {
        throw new IllegalStateException("no property '" + parts[0] + "' in " + input.getProperties().keySet());
      }
      list.setXKubernetesListType("map");
      list.setXKubernetesListMapKeys(java.util.List.of(parts[1]));
    }
    return input;
  }
}
