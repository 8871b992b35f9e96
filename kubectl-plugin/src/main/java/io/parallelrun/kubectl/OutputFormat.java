package io.parallelrun.kubectl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.yaml.snakeyaml.DumperOptions;

/** The -o values: a table for people, JSON or YAML for scripts (the same document in both). */
public enum OutputFormat {
  table, json, yaml;

  /**
   * JSON and YAML are read on terminals too, and what they carry comes from the cluster (a field name a backend's
   * JSON key chose, a message): every character beyond ASCII is written as an escape that the parser undoes (JSON
   * and YAML in double quotes both have backslash-u escapes), so no bidi override or C1 control reaches the
   * terminal, and the document still reads back to the same values.
   */
  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build())
      .enable(SerializationFeature.INDENT_OUTPUT);
  static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .dumperOptions(asciiOnlyBlockStyle())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

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

  /** The YAML writer's own block style, with allowUnicode off: SnakeYAML then double-quotes and escapes. */
  private static DumperOptions asciiOnlyBlockStyle() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setAllowUnicode(false);
    return options;
  }
}
