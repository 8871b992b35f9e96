package io.parallelrun.proxy.http;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which headers cross the proxy. */
final class Headers {
  static final CharSequence SHADOW_HEADER = HttpHeaders.createOptimized("X-Parallel-Run");
  static final CharSequence SHADOW_VALUE = HttpHeaders.createOptimized("shadow");
  private static final Set<String> HOP_BY_HOP = caseInsensitive(Set.of(),
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "transfer-encoding", "upgrade");
  // Host and Expect belong to the client's hop too; a client's own shadow mark is dropped: only the proxy sets it.
  private static final Set<String> NOT_FORWARDED =
      caseInsensitive(HOP_BY_HOP, "host", "expect", SHADOW_HEADER.toString());
  // Names the proxy sets, as Netty AsciiStrings: the header maps' case-insensitive hash of them is computed once.
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");

  private static final boolean[] TOKEN = new boolean[128]; // RFC 9110 tchar

  static {
    for (char c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
    for (char c = '0'; c <= '9'; c++) TOKEN[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
  }

  private Headers() {}

  private static Set<String> caseInsensitive(Set<String> base, String... names) {
    TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    s.addAll(base);
    s.addAll(List.of(names));
    return s;
  }

  /**
   * Request headers for an upstream call: end-to-end headers plus X-Forwarded-*, in one pass over the client's
   * headers. Dropped: hop-by-hop headers, those the client names in Connection (hop-by-hop by its say, RFC 9110
   * 7.6.1), a client's own X-Parallel-Run (only the proxy marks a shadow), and a client's X-Forwarded-Host and
   * X-Forwarded-Proto: the proxy cannot tell an earlier proxy from a client claiming to be one, so a backend
   * gets the proxy's own view of host and scheme. X-Forwarded-For stays a list with the peer appended, its only
   * entry a backend may trust.
   */
  static MultiMap upstreamRequest(MultiMap in, String remoteHost, String host, String scheme) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> named = connectionNamed(in);
    String forwardedFor = null;
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey();
      if (AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_FOR)) { // all of them, in order: one list
        forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
        continue;
      }
      if (NOT_FORWARDED.contains(name) || named.contains(name)) continue;
      if (AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_HOST)
          || AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_PROTO)) {
        continue;
      }
      out.add(name, h.getValue());
    }
    if (remoteHost != null) {
      out.add(X_FORWARDED_FOR, forwardedFor == null ? remoteHost : forwardedFor + ", " + remoteHost);
    } else if (forwardedFor != null) {
      out.add(X_FORWARDED_FOR, forwardedFor);
    }
    if (host != null) out.add(X_FORWARDED_HOST, host);
    out.add(X_FORWARDED_PROTO, scheme);
    return out;
  }

  /** Copies an upstream response's end-to-end headers to the client response (also without those it names in Connection). */
  static void copyResponse(MultiMap from, MultiMap to) {
    Set<String> named = connectionNamed(from);
    for (Map.Entry<String, String> h : from) {
      if (!HOP_BY_HOP.contains(h.getKey()) && !named.contains(h.getKey())) to.add(h.getKey(), h.getValue());
    }
  }

  /**
   * The header names listed in Connection, which belong to that hop only. Content-Length is never among them: it
   * frames the message, and dropping it would let the two sides read different bodies.
   */
  private static Set<String> connectionNamed(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION)) return Set.of();
    Set<String> named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("content-length")) named.add(name);
      }
    }
    return named;
  }

  /**
   * Checks what HTTP/1.1 parsing guarantees but HTTP/2 does not: header names are tokens and values hold no
   * control characters (CR, LF and NUL above all, which would split or truncate the header sent upstream).
   *
   * @return why the request is refused, naming the header (never echoing its value), or null
   */
  static String invalidField(MultiMap headers) {
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey();
      if (name.isEmpty()) return "header with an empty name";
      for (int i = name.charAt(0) == ':' ? 1 : 0; i < name.length(); i++) { // an HTTP/2 pseudo-header's ':'
        char c = name.charAt(i);
        if (c >= 128 || !TOKEN[c]) return "header name '" + printable(name) + "' has a character not allowed in a name";
      }
      String value = h.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          return "header " + name + ": the value has a control character (0x" + Integer.toHexString(c) + ") at " + i;
        }
      }
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c >= 0x7f ? '?' : c);
    }
    return b.toString();
  }

  static List<Map.Entry<String, String>> snapshot(MultiMap headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      out.add(Map.entry(h.getKey(), h.getValue()));
    }
    return out;
  }

  static boolean hasBody(MultiMap requestHeaders) {
    String cl = requestHeaders.get(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) return !cl.trim().equals("0");
    return requestHeaders.contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /** @return the declared Content-Length, or -1 when absent or unreadable. */
  static long contentLength(MultiMap headers) {
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (cl == null) return -1;
    try {
      return Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
