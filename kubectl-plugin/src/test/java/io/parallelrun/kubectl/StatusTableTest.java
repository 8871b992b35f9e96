package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** status's table and JSON/YAML, rendered from ParallelRun objects: exact text, so a changed column shows. */
class StatusTableTest {
  static ParallelRun run() {
    ParallelRun run = new ParallelRun();
    run.setMetadata(new ObjectMetaBuilder().withName("returns").withNamespace("shop").build());
    ParallelRunSpec spec = new ParallelRunSpec();
    spec.setEndpoints(List.of(endpoint("get-return", "/api/returns/{id}"), endpoint("refund-status", "/api/refunds/{id}"),
        endpoint("return-reasons", "/api/reasons")));
    run.setSpec(spec);
    ParallelRunStatus status = new ParallelRunStatus();
    status.setPhase(Phase.Progressing);
    status.setCutOver("1/3");
    status.setLastAnalysisTime("2026-12-07T20:00:00Z");
    status.setEndpoints(List.of(
        endpointStatus("get-return", 100, EndpointState.CutOver, 100.0, 420L, "cut over"),
        endpointStatus("refund-status", 10, EndpointState.Promoting, 99.75, 400L, "holding 10%\nfor 15m")));
    run.setStatus(status);
    return run;
  }

  static EndpointSpec endpoint(String name, String path) {
    EndpointSpec e = new EndpointSpec();
    e.setName(name);
    e.setMethod(HttpMethod.GET);
    e.setPath(path);
    return e;
  }

  static EndpointStatus endpointStatus(String name, int weight, EndpointState state, double rate, long samples, String message) {
    EndpointStatus e = new EndpointStatus();
    e.setName(name);
    e.setWeight(weight);
    e.setState(state);
    e.setMatchRate(rate);
    e.setSamples(samples);
    e.setMessage(message);
    return e;
  }

  @Test
  void oneRunsEndpointsInSpecOrderWithEndpointsNotYetInStatusShownByName() {
    assertThat(StatusTable.run(RunStatus.of(run()))).isEqualTo("""
        parallelrun shop/returns: phase Progressing, cut over 1/3, last analysis 2026-12-07T20:00:00Z
        ENDPOINT         WEIGHT   STATE       MATCH-RATE   SAMPLES   TOP-DIFFERENCE   NOISE   MESSAGE
        get-return       100%     CutOver     100.00%      420       -                -       cut over
        refund-status    10%      Promoting   99.75%       400       -                -       holding 10% for 15m
        return-reasons   -        -           -            -         -                -       -
        """);
  }

  @Test
  void aPausedRunSaysSo() {
    ParallelRun run = run();
    run.getSpec().setPaused(true);
    assertThat(StatusTable.run(RunStatus.of(run))).startsWith(
        "parallelrun shop/returns: phase Progressing, cut over 1/3, paused (spec.paused), last analysis");
  }

  @Test
  void oneLinePerRun() {
    ParallelRun fresh = new ParallelRun();
    fresh.setMetadata(new ObjectMetaBuilder().withName("new").withNamespace("shop").build());
    fresh.setSpec(new ParallelRunSpec());
    assertThat(StatusTable.runs(List.of(RunStatus.of(run()), RunStatus.of(fresh)))).isEqualTo("""
        NAME      PHASE         CUT-OVER   PAUSED   ENDPOINTS   LAST-ANALYSIS
        returns   Progressing   1/3        no       3           2026-12-07T20:00:00Z
        new       -             -          no       0           -
        """);
  }

  /**
   * The top difference (field and share of the window) and whether it is noise: yes, no, or "ignored" once a
   * proxy leaves it out as learned noise (status.endpoints[].ignoredNoise).
   */
  @Test
  void theTopDifferenceAndWhetherItIsNoiseOrIgnored() throws Exception {
    ParallelRun run = run();
    EndpointStatus reasons = endpointStatus("return-reasons", 0, EndpointState.Shadowing, 0.0, 300L, "match rate 0.0% < 99%");
    run.getStatus().setEndpoints(List.of(run.getStatus().getEndpoints().get(0), run.getStatus().getEndpoints().get(1),
        reasons));
    run.getStatus().getEndpoints().get(1).setDifferences(List.of(
        new FieldDifference("body:$.total", 0.25, false, null),
        new FieldDifference("header:x-served-by", 0.25, true, "ignoreHeaders: [x-served-by]")));
    reasons.setDifferences(List.of(new FieldDifference("header:x-served-by", 100.0, true, "ignoreHeaders: [x-served-by]")));
    reasons.setIgnoredNoise(List.of("body:$.generatedAt", "header:x-served-by"));
    assertThat(StatusTable.run(RunStatus.of(run))).isEqualTo("""
        parallelrun shop/returns: phase Progressing, cut over 1/3, last analysis 2026-12-07T20:00:00Z
        ENDPOINT         WEIGHT   STATE       MATCH-RATE   SAMPLES   TOP-DIFFERENCE              NOISE     MESSAGE
        get-return       100%     CutOver     100.00%      420       -                           -         cut over
        refund-status    10%      Promoting   99.75%       400       body:$.total (0.3%)         no        holding 10% for 15m
        return-reasons   0%       Shadowing   0.00%        300       header:x-served-by (100%)   ignored   match rate 0.0% < 99%
        """);
    JsonNode json = Serialization.jsonMapper().readTree(OutputFormat.json.render(RunStatus.of(run)));
    JsonNode top = json.path("endpoints").get(2).path("differences").get(0);
    assertThat(top.path("field").asText()).isEqualTo("header:x-served-by");
    assertThat(top.path("percent").asDouble()).isEqualTo(100.0);
    assertThat(top.path("noise").asBoolean()).isTrue();
    assertThat(top.path("suggestion").asText()).isEqualTo("ignoreHeaders: [x-served-by]");
    assertThat(json.path("endpoints").get(2).path("ignoredNoise")).hasSize(2);
    assertThat(json.path("endpoints").get(0).has("differences")).as("no invented differences").isFalse();
    assertThat(json.path("endpoints").get(0).has("ignoredNoise")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"100.0, 100", "0.25, 0.3", "0.04, 0", "33.333, 33.3", "2.5, 2.5", "99.95, 100"})
  void percentsKeepOneDecimalOnlyWhenTheyHaveOne(double value, String shown) {
    assertThat(StatusTable.percent(value)).isEqualTo(shown);
  }

  /** A state this plugin's enum does not know (a newer operator) still shows by name; newer fields are skipped. */
  @Test
  void aNewerOperatorsStatusStillShows() {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(run());
    ObjectNode endpoint = (ObjectNode) tree.path("status").path("endpoints").get(0);
    endpoint.put("state", "Canarying").put("someNewerField", 1);
    ((ObjectNode) endpoint.putArray("differences").addObject().put("field", "status")).put("newerToo", true);
    String table = StatusTable.run(RunStatus.of(tree));
    assertThat(table).containsPattern("get-return +100% +Canarying +100.00% +420 +status +- +cut over");
  }

  /** A field name comes from a backend's JSON keys, and a message is free text: neither may drive the terminal. */
  @Test
  void controlCharactersInStatusAreShownEscaped() throws Exception {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(run());
    ObjectNode endpoint = (ObjectNode) tree.path("status").path("endpoints").get(0);
    endpoint.put("message", "done\u001b[2J\u202e");
    endpoint.set("differences", Serialization.jsonMapper().readTree("[{\"field\": \"body:$.a\\u009b31m\", \"noise\": false}]"));
    String table = StatusTable.run(RunStatus.of(tree));
    assertThat(table).contains("done\\u001b[2J\\u202e", "body:$.a\\u009b31m");
    assertThat(table.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == 0x202e)).isEmpty();
  }

  /**
   * -o json and -o yaml are read on terminals too: a bidi override or a C1 control in a message must arrive as an
   * escape the parser undoes, not as a character the terminal obeys.
   */
  @Test
  void jsonAndYamlEscapeWhatCouldDriveATerminal() throws Exception {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(run());
    String hostile = "done\u001b[2J\u202e\u009b31m\u0085";
    ((ObjectNode) tree.path("status").path("endpoints").get(0)).put("message", hostile);
    RunStatus status = RunStatus.of(tree);
    for (OutputFormat format : List.of(OutputFormat.json, OutputFormat.yaml)) {
      String text = format.render(status);
      assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)
          || Character.getType(c) == Character.FORMAT)).as(format + ":\n" + text).isEmpty();
      JsonNode back = (format == OutputFormat.json ? OutputFormat.JSON : OutputFormat.YAML).readTree(text);
      assertThat(back.path("endpoints").get(0).path("message").asText()).as("lossless").isEqualTo(hostile);
    }
  }

  @Test
  void jsonAndYamlCarryTheSameDocument() throws Exception {
    RunStatus status = RunStatus.of(run());
    JsonNode json = Serialization.jsonMapper().readTree(OutputFormat.json.render(status));
    assertThat(json.path("name").asText()).isEqualTo("returns");
    assertThat(json.path("namespace").asText()).isEqualTo("shop");
    assertThat(json.path("phase").asText()).isEqualTo("Progressing");
    assertThat(json.path("paused").asBoolean()).isFalse();
    assertThat(json.path("endpoints")).hasSize(3);
    JsonNode refund = json.path("endpoints").get(1);
    assertThat(refund.path("weight").asInt()).isEqualTo(10);
    assertThat(refund.path("matchRate").asDouble()).isEqualTo(99.75);
    assertThat(refund.path("samples").asLong()).isEqualTo(400);
    assertThat(refund.path("state").asText()).isEqualTo("Promoting");
    assertThat(json.path("endpoints").get(2).has("weight")).as("unknown stays unset, not 0").isFalse();
    JsonNode yaml = OutputFormat.YAML.readTree(OutputFormat.yaml.render(status));
    assertThat(yaml).isEqualTo(json);
  }
}
