package io.parallelrun.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code status} as tables: one line per run, or one run's endpoints. Pure, so the output is unit-tested. */
final class StatusTable {
  private StatusTable() {}

  /** One line per ParallelRun of the namespace. */
  static String runs(List<RunStatus> runs) {
    TextTable table = new TextTable(List.of("NAME", "PHASE", "CUT-OVER", "PAUSED", "ENDPOINTS", "LAST-ANALYSIS"));
    for (RunStatus run : runs) {
      table.row(List.of(run.name(), orDash(run.phase()), orDash(run.cutOver()), run.paused() ? "yes" : "no",
          String.valueOf(run.endpoints().size()), orDash(run.lastAnalysisTime())));
    }
    return table.toString();
  }

  /**
   * A heading line, then one line per endpoint. The TOP-DIFFERENCE and NOISE columns appear only once some
   * endpoint's status has differences (issue 24, item 3): no column of dashes before the operator writes them.
   */
  static String run(RunStatus run) {
    boolean differences = run.endpoints().stream().anyMatch(e -> e.differences() != null);
    List<String> headers = new ArrayList<>(List.of("ENDPOINT", "WEIGHT", "STATE", "MATCH-RATE", "SAMPLES"));
    if (differences) headers.addAll(List.of("TOP-DIFFERENCE", "NOISE"));
    headers.add("MESSAGE");
    TextTable table = new TextTable(headers);
    for (RunStatus.Endpoint e : run.endpoints()) {
      List<String> row = new ArrayList<>(List.of(e.name(), e.weight() == null ? "-" : e.weight() + "%",
          orDash(e.state()), e.matchRate() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", e.matchRate()),
          e.samples() == null ? "-" : String.valueOf(e.samples())));
      if (differences) {
        JsonNode top = e.differences() == null ? null : e.differences().path(0);
        row.add(top == null || top.isMissingNode() ? "-" : topDifference(top));
        row.add(top == null || !top.has("noise") ? "-" : top.path("noise").asBoolean() ? "yes" : "no");
      }
      row.add(orDash(e.message()));
      table.row(row);
    }
    String heading = "parallelrun " + run.namespace() + "/" + run.name() + ": phase " + orDash(run.phase())
        + ", cut over " + orDash(run.cutOver()) + (run.paused() ? ", paused (spec.paused)" : "")
        + (run.lastAnalysisTime() == null ? "" : ", last analysis " + run.lastAnalysisTime());
    return Terminal.printable(heading) + "\n" + table;
  }

  /** "header x-served-by (100%)": the field, and the share of the window's comparisons that differed there. */
  private static String topDifference(JsonNode top) {
    String field = top.path("field").asText("?");
    JsonNode percent = top.path("percent");
    return percent.isNumber() ? String.format(Locale.ROOT, "%s (%.0f%%)", field, percent.asDouble()) : field;
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
