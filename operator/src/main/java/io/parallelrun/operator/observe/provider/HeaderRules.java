package io.parallelrun.operator.observe.provider;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What an extra header of a provider (X-Scope-OrgID and the like) may be: a plain name and a one-line value. */
final class HeaderRules {
  /** RFC 9110 token. */
  private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
  private static final int MAX_VALUE_LENGTH = 8192;
  /**
   * Set by the client itself (the JDK refuses the first five) or by the provider's credentials fields, so that a
   * token never sits in the providers file in plain text.
   */
  private static final Set<String> RESERVED = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "authorization", "accept");

  private HeaderRules() {}

  static boolean hasControlCharacter(String text) {
    return CONTROL.matcher(text).find();
  }

  /** @return why the header is refused, or null when it is acceptable */
  static String problem(String name, String value) {
    if (!NAME.matcher(name).matches()) return "'" + name + "' is not a header name (letters, digits and -_.!#$%&'*+^`|~)";
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      return name + " is set by the operator" + (name.equalsIgnoreCase("authorization")
          ? "; use bearerTokenFile or basicAuth, which are read from mounted files" : "");
    }
    if (hasControlCharacter(value)) return name + ": the value holds a line break or control character";
    if (value.length() > MAX_VALUE_LENGTH) return name + ": the value is longer than " + MAX_VALUE_LENGTH + " characters";
    return null;
  }
}
