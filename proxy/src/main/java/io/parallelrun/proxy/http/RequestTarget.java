package io.parallelrun.proxy.http;

/**
 * Which request targets the proxy forwards. The target is copied into the HTTP/1.1 request line sent upstream, and
 * the path is matched against the endpoints, so two rules hold for every request, HTTP/1.1 and HTTP/2 alike:
 *
 * <ul>
 *   <li>It is origin-form ({@code /path?query}, or {@code *} for OPTIONS) made only of RFC 3986 path and query
 *       characters. Over HTTP/2 nothing else checks {@code :path}: a space or CR/LF in it would split the request
 *       line sent upstream into two requests.
 *   <li>The path means the same to the proxy and to a normalising backend (Tomcat/Spring, nginx, Envoy): otherwise
 *       the proxy classifies it as one endpoint (mirrored, say) while the backend serves another. As Envoy can, it
 *       refuses what such backends rewrite: dot segments in any spelling ({@code ..}, {@code %2e%2e},
 *       {@code .%2E}), an encoded {@code /} or {@code \} ({@code %2f}, {@code %5c}), path parameters ({@code ;},
 *       also {@code %3b}: Tomcat drops {@code ;jsessionid=..} and {@code ..;}) and empty segments ({@code //},
 *       which nginx and Tomcat merge). Refusing rather than normalising keeps one path for routing and forwarding.
 * </ul>
 *
 * The query is forwarded as it is and not interpreted, so it only has to be made of RFC 3986 characters.
 */
final class RequestTarget {
  /** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) UNRESERVED[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) UNRESERVED[c] = true;
    for (char c = '0'; c <= '9'; c++) UNRESERVED[c] = true;
    for (char c : "-._~".toCharArray()) UNRESERVED[c] = true;
  }

  private static final boolean[] PCHAR = new boolean[128]; // unreserved / sub-delims / ':' / '@' ('%' checked apart)

  static {
    for (char c = 'a'; c <= 'z'; c++) PCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) PCHAR[c] = true;
    for (char c = '0'; c <= '9'; c++) PCHAR[c] = true;
    for (char c : "-._~!$&'()*+,;=:@".toCharArray()) PCHAR[c] = true;
  }

  private RequestTarget() {}

  /** @return why the target is refused (the text of a 400), or null when it may be forwarded as it is */
  static String problem(String method, String target) {
    if (target == null || target.isEmpty()) return "request target is empty";
    if (target.equals("*")) {
      return method.equals("OPTIONS") ? null : "request target '*' is only allowed for OPTIONS";
    }
    if (target.charAt(0) != '/') return "request target must be origin-form: start with '/' (or be '*' for OPTIONS)";
    int query = target.indexOf('?');
    int pathEnd = query < 0 ? target.length() : query;
    String bad = characters(target, 0, pathEnd, false);
    if (bad != null) return "request target: the path has " + bad;
    if (query >= 0) {
      bad = characters(target, query + 1, target.length(), true);
      if (bad != null) return "request target: the query has " + bad;
    }
    return pathProblem(target, pathEnd);
  }

  /** @return the first character outside RFC 3986 path (or query) syntax, described, or null */
  private static String characters(String s, int from, int to, boolean query) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) return "an incomplete percent-escape at " + i;
        if (!hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) return "an invalid percent-escape at " + i;
        i += 2;
      } else if (c == '/' || (query && c == '?')) {
        continue;
      } else if (c >= 128 || !PCHAR[c]) {
        return (c < 0x20 || c == 0x7f ? "a control character (0x" + Integer.toHexString(c) + ")"
            : c == ' ' ? "a space" : "the character '" + c + "'") + " at " + i + "; only RFC 3986 characters are allowed";
      }
    }
    return null;
  }

  private static String pathProblem(String s, int end) {
    int segmentStart = 1;
    for (int i = 1; i <= end; i++) {
      if (i < end && s.charAt(i) != '/') {
        if (s.charAt(i) == ';') return "request target: the path has a path parameter (';'), which backends strip";
        if (s.charAt(i) == '%' && i + 2 < end) {
          char a = s.charAt(i + 1);
          char b = Character.toLowerCase(s.charAt(i + 2));
          if (a == '2' && b == 'f') return "request target: the path has an encoded '/' (%2F)";
          if (a == '5' && b == 'c') return "request target: the path has an encoded '\\' (%5C)";
          if (a == '3' && b == 'b') return "request target: the path has an encoded ';' (%3B)";
          int octet = Integer.parseInt(s.substring(i + 1, i + 3), 16);
          // Normalising backends decode these (RFC 3986 6.2.2.2), so /returns/%72easons would be /returns/reasons
          // to them while the proxy matched it as /returns/{id}.
          // An encoded '.' is left to the segment's end: a dot segment is refused as such, any other as encoded.
          if (octet < 0x80 && UNRESERVED[octet] && octet != '.') {
            return "request target: the path has an encoded unreserved character (%" + s.substring(i + 1, i + 3)
                + " is '" + (char) octet + "'), which backends decode";
          }
          if (octet < 0x20 || octet == 0x7f) {
            return "request target: the path has an encoded control character (%" + s.substring(i + 1, i + 3) + ")";
          }
        }
        continue;
      }
      if (i == segmentStart && i < end) return "request target: the path has an empty segment ('//')";
      if (isDotSegment(s, segmentStart, i)) return "request target: the path has a '.' or '..' segment";
      if (s.substring(segmentStart, i).toLowerCase(java.util.Locale.ROOT).contains("%2e")) {
        return "request target: the path has an encoded unreserved character (%2e is '.'), which backends decode";
      }
      segmentStart = i + 1;
    }
    return null;
  }

  /** Whether s[from, to) is "." or "..", each dot raw or as %2e. */
  private static boolean isDotSegment(String s, int from, int to) {
    int dots = 0;
    for (int i = from; i < to; ) {
      if (s.charAt(i) == '.') {
        i++;
      } else if (s.charAt(i) == '%' && i + 2 < to && s.charAt(i + 1) == '2'
          && Character.toLowerCase(s.charAt(i + 2)) == 'e') {
        i += 3;
      } else {
        return false;
      }
      if (++dots > 2) return false;
    }
    return dots > 0;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
