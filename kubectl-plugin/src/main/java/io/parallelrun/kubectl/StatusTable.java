package io.parallelrun.kubectl;

import io.parallelrun.api.FieldDifference;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
   * A heading line, then one line per endpoint: where it stands, and why (issue 24): the field at which most of
   * the window's comparisons differed and whether that field is noise.
   */
  static String run(RunStatus run) {
    TextTable table = new TextTable(List.of("ENDPOINT", "WEIGHT", "STATE", "MATCH-RATE", "SAMPLES", "TOP-DIFFERENCE",
        "NOISE", "MESSAGE"));
    for (RunStatus.Endpoint e : run.endpoints()) {
      FieldDifference top = e.differences() == null || e.differences().isEmpty() ? null : e.differences().get(0);
      table.row(List.of(e.name(), e.weight() == null ? "-" : e.weight() + "%", orDash(e.state()),
          e.matchRate() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", e.matchRate()),
          e.samples() == null ? "-" : String.valueOf(e.samples()), top == null ? "-" : topDifference(top),
          top == null ? "-" : noise(top, e.ignoredNoise()), orDash(e.message())));
    }
    String heading = "parallelrun " + run.namespace() + "/" + run.name() + ": phase " + orDash(run.phase())
        + ", cut over " + orDash(run.cutOver()) + (run.paused() ? ", paused (spec.paused)" : "")
        + (run.lastAnalysisTime() == null ? "" : ", last analysis " + run.lastAnalysisTime());
    return Terminal.printable(heading) + "\n" + table;
  }

  /** "header:x-served-by (100%)": the field, and the share of the window's comparisons that differed there. */
  private static String topDifference(FieldDifference top) {
    String field = top.getField() == null ? "?" : top.getField();
    return top.getPercent() == null ? field : field + " (" + percent(top.getPercent()) + "%)";
  }

  /** Whole percents as they are, others to one decimal: 0.4% must not read as 0% next to a 99.5% threshold. */
  static String percent(double value) {
    if (!Double.isFinite(value)) return String.valueOf(value);
    return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** "ignored" once a proxy leaves the field out as learned noise, else whether it is noise, "-" if not known. */
  private static String noise(FieldDifference top, List<String> ignoredNoise) {
    if (ignoredNoise != null && ignoredNoise.contains(top.getField())) return "ignored";
    return top.getNoise() == null ? "-" : top.getNoise() ? "yes" : "no";
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
