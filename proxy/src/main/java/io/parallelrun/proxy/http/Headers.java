package io.parallelrun.proxy.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which headers cross the proxy. */
final class Headers {
  private static final Set<String> HOP_BY_HOP = caseInsensitive(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "transfer-encoding", "upgrade");
  private static final Set<String> NOT_FORWARDED = caseInsensitive(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "transfer-encoding", "upgrade", "host", "expect");

  static final String SHADOW_HEADER = "X-Parallel-Run";
  static final String SHADOW_VALUE = "shadow";

  private Headers() {}

  private static Set<String> caseInsensitive(String... names) {
    TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    s.addAll(List.of(names));
    return s;
  }

  /** Request headers for an upstream call: end-to-end headers plus X-Forwarded-*. */
  static MultiMap upstreamRequest(MultiMap in, String remoteHost, String host, String scheme) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : in) {
      if (!NOT_FORWARDED.contains(h.getKey())) out.add(h.getKey(), h.getValue());
    }
    if (remoteHost != null) {
      String xff = in.get("X-Forwarded-For");
      out.set("X-Forwarded-For", xff == null ? remoteHost : xff + ", " + remoteHost);
    }
    if (host != null && !in.contains("X-Forwarded-Host")) out.set("X-Forwarded-Host", host);
    if (!in.contains("X-Forwarded-Proto")) out.set("X-Forwarded-Proto", scheme);
    out.remove(SHADOW_HEADER);
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
