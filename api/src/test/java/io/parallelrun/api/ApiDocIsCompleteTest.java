package io.parallelrun.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the ParallelRun reference. Every field path of the committed CRD's spec and status must appear
 * in it, in backticks, as `spec.endpoints[].threshold.matchRate` (array items as []), so a field added to api/
 * without a word in the reference fails the build.
 */
class ApiDocIsCompleteTest {
  static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void everyFieldOfTheCrdIsInTheReference() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(ROOT.resolve("crds").resolve(CrdIsUpToDateTest.FILE)), CustomResourceDefinition.class);
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> paths = new ArrayList<>();
    for (String top : List.of("spec", "status")) walk(root.getProperties().get(top), top, paths);
    assertThat(paths).as("field paths found in the CRD").contains("spec.endpoints[].threshold.matchRate",
        "status.conditions[].reason");

    Path doc = ROOT.resolve("docs/api.md");
    assertThat(doc).as("the ParallelRun reference").exists();
    String text = Files.readString(doc);
    List<String> missing = paths.stream().filter(p -> !text.contains("`" + p + "`")).toList();
    assertThat(missing).as("CRD fields not documented in docs/api.md (write each as `path`)").isEmpty();
  }

  /** Collects the path of every property under node; array items add [] to their array's path. */
  static void walk(JSONSchemaProps node, String path, List<String> out) {
    if (node == null) return;
    Map<String, JSONSchemaProps> properties = node.getProperties();
    if (properties == null) return;
    for (Map.Entry<String, JSONSchemaProps> field : properties.entrySet()) {
      JSONSchemaProps child = field.getValue();
      boolean array = "array".equals(child.getType());
      String childPath = path + "." + field.getKey() + (array ? "[]" : "");
      out.add(childPath);
      walk(array && child.getItems() != null ? child.getItems().getSchema() : child, childPath, out);
    }
  }
}
