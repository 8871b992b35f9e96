package io.parallelrun.proxy.routing;

import java.net.URI;

/**
 * Where one side's requests go: scheme, host, port, an optional base path prefix, and whether the proxy speaks
 * HTTP/2 to it (h2c with prior knowledge over http, ALPN over https) instead of HTTP/1.1.
 */
public record Backend(String label, boolean ssl, String host, int port, String basePath, boolean http2) {

  public static Backend of(String label, String url) {
    return of(label, url, false);
  }

  public static Backend of(String label, String url, boolean http2) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("'" + url + "' is not an absolute http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String base = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return new Backend(label, ssl, uri.getHost(), port, base, http2);
  }

  public String uri(String requestUri) {
    return basePath.isEmpty() ? requestUri : basePath + requestUri;
  }

  public String authority() {
    boolean defaultPort = ssl ? port == 443 : port == 80;
    return defaultPort ? host : host + ":" + port;
  }

  @Override
  public String toString() {
    return (ssl ? "https://" : "http://") + authority() + basePath;
  }
}
