package io.parallelrun.proxy.config;

import java.net.URI;

/** Where one side's requests go: scheme, host, port and an optional base path prefix. */
public record Backend(String label, boolean ssl, String host, int port, String basePath) {

  public static Backend of(String label, String url) {
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
    return new Backend(label, ssl, uri.getHost(), port, base);
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
