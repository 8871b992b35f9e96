package io.parallelrun.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldNameTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "header:x-served-by      | ignoreHeaders: [x-served-by]",
      "body:$.generatedAt      | ignoreJsonPaths: [\"$.generatedAt\"]",
      "body:$.items[*].*       | ignoreJsonPaths: [\"$.items[*].*\"]",
      "status                  | none",
      "body                    | none",
      "other                   | none",
      "header:                 | none",
      "body:                   | none",
      "body:items              | none",
  })
  void aRuleOnlyForFieldsARuleCanName(String field, String rule) {
    assertThat(FieldName.rule(field).map(FieldName.Rule::toString).orElse(null)).isEqualTo(rule);
  }
}
