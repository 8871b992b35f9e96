package io.parallelrun.kubectl;

/**
 * Text for a terminal. What a table or a diff shows may come from a backend's answer (a JSON key in a diff path)
 * or from a status a person cannot vouch for; escape sequences in it would drive the reader's terminal (retitle,
 * clear, rewrite lines), and bidi overrides would reorder what is read. Every such character is shown as a JSON
 * escape ({@code \u001b}) instead. -o json is JSON-escaped by Jackson; -o yaml by the YAML writer.
 */
final class Terminal {
  private Terminal() {}

  /** The text with C0 and C1 controls (line breaks too), DEL and Unicode format characters escaped. */
  static String printable(String text) {
    if (text == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.getType(c) == Character.FORMAT;
      if (unsafe && out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
      if (out != null) {
        if (unsafe) out.append(String.format("\\u%04x", (int) c)); else out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
