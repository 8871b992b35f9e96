package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.ParallelRunSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * suggest's rules from a spec and a status, one endpoint at a time: the endpoint's effective list (own, else the
 * defaults') plus the learned noise, deduplicated; nothing for what is no noise or has no rule.
 */
class NoiseRulesTest {
  static final String DEFAULTS = "{ignoreHeaders: [X-Shared], ignoreJsonPaths: [\"$.meta.id\"]}";

  /**
   * @param own the endpoint's comparator (YAML flow), or "none"
   * @param noise the status: fields with noise (a header, a JSON path), "!" before a field that is no noise,
   *     "~" before an ignoredNoise entry; separated by spaces
   * @param headers the expected ignoreHeaders, "none" for a list left out
   * @param paths the expected ignoreJsonPaths, "none" for a list left out
   */
  @ParameterizedTest(name = "{0} + {1} -> {2} / {3}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      // No own rules: both lists start from the defaults'.
      "none                                  | header:x-served-by body:$.generatedAt | X-Shared,x-served-by | $.meta.id,$.generatedAt",
      // Own lists replace the defaults' as a whole: the defaults' entries are not brought in.
      "{ignoreHeaders: [X-Own]}               | header:x-served-by                    | X-Own,x-served-by    | none",
      "{ignoreJsonPaths: []}                  | body:$.generatedAt                    | none                 | $.generatedAt",
      // Header names are case-insensitive; a rule already there gains nothing and its list is left out.
      "{ignoreHeaders: [X-Served-By]}         | header:x-served-by body:$.a           | none                 | $.meta.id,$.a",
      "none                                   | header:x-shared                       | none                 | none",
      // Not noise, or no rule can name it: nothing.
      "none                                   | !body:$.total !header:x-version       | none                 | none",
      "none                                   | status body other                     | none                 | none",
      // ignoredNoise counts, once, after the differences.
      "none                                   | header:b ~header:a ~header:b ~body:$.c  | X-Shared,b,a         | $.meta.id,$.c",
  })
  void theEffectiveListPlusTheLearnedNoise(String own, String noise, String headers, String paths) throws Exception {
    ParallelRunSpec spec = spec(own);
    ParallelRunSpec suggested = NoiseRules.suggest(spec, Map.of("get-return", status(noise)));
    if (headers == null && paths == null) {
      assertThat(suggested.getEndpoints()).isEmpty();
      return;
    }
    assertThat(suggested.getEndpoints()).hasSize(1);
    assertThat(suggested.getEndpoints().get(0).getName()).isEqualTo("get-return");
    var rules = suggested.getEndpoints().get(0).getComparator();
    assertThat(rules.getIgnoreHeaders()).isEqualTo(headers == null ? null : List.of(headers.split(",")));
    assertThat(rules.getIgnoreJsonPaths()).isEqualTo(paths == null ? null : List.of(paths.split(",")));
  }

  /** What people read: the comment lines, then the YAML, exactly (docs/kubectl-plugin.md shows the same). */
  @Test
  void theTextIsCommentLinesThenTheYaml() throws Exception {
    ParallelRunSpec suggested = NoiseRules.suggest(spec("{ignoreHeaders: [X-Pod-Name]}"),
        Map.of("get-return", status("header:x-served-by body:$.generatedAt !body:$.total")));
    assertThat(SuggestCommand.text("shop/returns", Map.of("spec", suggested))).isEqualTo("""
        # parallelrun shop/returns: comparator rules for the noise its proxies learned.
        # Commit them to the run's manifest through Git: the operator never writes spec.
        # Each list is the endpoint's current effective list (its own, else spec.defaults.comparator's)
        # plus the learned noise, so replacing the endpoint's list with it loses nothing.
        spec:
          endpoints:
          - name: get-return
            comparator:
              ignoreHeaders:
              - X-Pod-Name
              - x-served-by
              ignoreJsonPaths:
              - $.meta.id
              - $.generatedAt
        """);
    assertThat(SuggestCommand.text("shop/returns", Map.of("spec", new ParallelRunSpec())))
        .isEqualTo("parallelrun shop/returns: nothing to suggest: no endpoint's status names noise that its "
            + "comparator rules do not already leave out\n");
  }

  /** A JSON key is the backend's choice: in the YAML a person reads it arrives escaped, and reads back the same. */
  @Test
  void aHostileJsonKeyIsEscapedInTheYamlAndReadsBackTheSame() throws Exception {
    String field = "$.a\u202e\u001b[2J";
    ParallelRunSpec suggested = NoiseRules.suggest(spec(null), Map.of("get-return", status("body:" + field)));
    String text = SuggestCommand.text("shop/returns", Map.of("spec", suggested));
    assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n') || c > 0x7e)).as(text).isEmpty();
    assertThat(OutputFormat.YAML.readTree(text).at("/spec/endpoints/0/comparator/ignoreJsonPaths/1").asText())
        .isEqualTo(field);
  }

  @Test
  void endpointsComeInSpecOrderAndAStatusWithoutASpecEndpointIsSkipped() throws Exception {
    ParallelRunSpec spec = spec(null);
    EndpointStatus gone = status("header:x-gone");
    gone.setName("removed");
    ParallelRunSpec suggested = NoiseRules.suggest(spec, Map.of("removed", gone, "other", status("header:x-o"),
        "get-return", status("header:x-g")));
    assertThat(suggested.getEndpoints()).extracting(e -> e.getName()).containsExactly("get-return", "other");
  }

  @Test
  void aSpecThatDoesNotResolveIsNamed() throws Exception {
    ParallelRunSpec spec = spec(null);
    spec.getEndpoints().get(0).setThreshold(new io.parallelrun.api.ThresholdSpec());
    spec.getEndpoints().get(0).getThreshold().setWindow("forever");
    assertThatThrownBy(() -> NoiseRules.suggest(spec, Map.of("get-return", status("header:x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec.endpoints[0].threshold.window");
  }

  static ParallelRunSpec spec(String own) throws Exception {
    JsonNode yaml = OutputFormat.YAML.readTree("""
        defaults: {comparator: %s}
        endpoints:
          - {name: get-return, method: GET, path: "/r/{id}"%s}
          - {name: other, method: GET, path: /o}
        """.formatted(DEFAULTS, own == null ? "" : ", comparator: " + own));
    return OutputFormat.YAML.treeToValue(yaml, ParallelRunSpec.class);
  }

  static EndpointStatus status(String noise) {
    EndpointStatus status = new EndpointStatus();
    status.setName("get-return");
    List<FieldDifference> differences = new java.util.ArrayList<>();
    List<String> ignored = new java.util.ArrayList<>();
    for (String field : noise.split(" +")) {
      if (field.startsWith("~")) ignored.add(field.substring(1));
      else if (field.startsWith("!")) differences.add(new FieldDifference(field.substring(1), 10.0, false, null));
      else differences.add(new FieldDifference(field, 10.0, true, null));
    }
    status.setDifferences(differences);
    status.setIgnoredNoise(ignored);
    return status;
  }
}
