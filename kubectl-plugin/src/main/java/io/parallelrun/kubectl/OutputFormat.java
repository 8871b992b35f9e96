package io.parallelrun.kubectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** The -o values: a table for people, JSON or YAML for scripts (the same document in both). */
public enum OutputFormat {
  table, json, yaml;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  /** The document as JSON or YAML; for {@link #table} the caller renders a table instead. */
  String render(Object document) {
    try {
      return switch (this) {
        case json -> JSON.writeValueAsString(document) + "\n";
        case yaml -> YAML.writeValueAsString(document);
        case table -> throw new IllegalStateException("a table is rendered by the command");
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not render the output as " + this, e);
    }
  }
}
