package io.parallelrun.kubectl;

import java.util.ArrayList;
import java.util.List;

/** A kubectl-style table: upper-case headers, columns padded to their widest cell, three spaces apart. */
final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> headers) {
    this.headers = headers;
  }

  TextTable row(List<String> cells) {
    if (cells.size() != headers.size()) throw new IllegalArgumentException("a row needs " + headers.size() + " cells");
    rows.add(cells.stream().map(c -> c == null || c.isEmpty() ? "-" : oneLine(c)).toList());
    return this;
  }

  @Override
  public String toString() {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) line.append(" ".repeat(widths[i] - row.get(i).length() + 3));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /**
   * A cell never breaks the table: line breaks and tabs (from a message, say) become spaces, and other control
   * characters are shown escaped ({@link Terminal}).
   */
  private static String oneLine(String cell) {
    return Terminal.printable(cell.replaceAll("[\\r\\n\\t]+", " "));
  }
}
