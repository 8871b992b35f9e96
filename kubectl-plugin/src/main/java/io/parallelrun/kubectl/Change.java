package io.parallelrun.kubectl;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a write subcommand changed (or found already so): one field of one run, before and after. {@code -o
 * json|yaml} print this record; the table form is {@link #toString()}.
 *
 * @param before the value before, null when unset
 * @param after the value after, null when unset
 * @param note what else a person should know, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Change(String namespace, String name, String field, String before, String after, boolean changed, String note) {
  @Override
  public String toString() {
    String what = "parallelrun " + namespace + "/" + name + ": " + field + " ";
    String line = changed ? what + shown(before) + " -> " + shown(after) : what + "already " + shown(after) + ", nothing changed";
    // The value before is whatever someone annotated: shown through Terminal like everything printed as text.
    return Terminal.printable(line) + "\n" + (note == null ? "" : "note: " + note + "\n");
  }

  private static String shown(String value) {
    return value == null ? "unset" : "\"" + value + "\"";
  }
}
