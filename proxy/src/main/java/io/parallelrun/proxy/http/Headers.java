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

  private Headers() {}

  private static Set<String> caseInsensitive(Set<String> base, String... names) {
    TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    s.addAll(base);
    s.addAll(List.of(names));
    return s;
  }

  /**
   * Request headers for an upstream call: end-to-end headers plus X-Forwarded-*, in one pass over the client's
   * headers. A client's own X-Parallel-Run is dropped: only the proxy marks a shadow.
   */
  static MultiMap upstreamRequest(MultiMap in, String remoteHost, String host, String scheme) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    String forwardedFor = null;
    boolean forwardedHost = false;
    boolean forwardedProto = false;
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey();
      if (AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_FOR)) { // all of them, in order: one list
        forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
        continue;
      }
      if (NOT_FORWARDED.contains(name)) continue;
      forwardedHost |= AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_HOST);
      forwardedProto |= AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_PROTO);
      out.add(name, h.getValue());
    }
    if (remoteHost != null) {
      out.add(X_FORWARDED_FOR, forwardedFor == null ? remoteHost : forwardedFor + ", " + remoteHost);
    } else if (forwardedFor != null) {
      out.add(X_FORWARDED_FOR, forwardedFor);
    }
    if (host != null && !forwardedHost) out.add(X_FORWARDED_HOST, host);
    if (!forwardedProto) out.add(X_FORWARDED_PROTO, scheme);
    return out;
  }

  /** Copies an upstream response's end-to-end headers to the client response. */
  static void copyResponse(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      if (!HOP_BY_HOP.contains(h.getKey())) to.add(h.getKey(), h.getValue());
    }
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
