package io.parallelrun.operator.observe;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A validated Prometheus base URL, and the one way to turn it into a query URL.
 *
 * <p>The base URL is chosen by whoever may create a ParallelRun. Only a plain absolute http or https URL is
 * accepted: no user info (credentials would end up in logs and status), no query and no fragment (a trailing
 * {@code #} or {@code ?} used to swallow the appended {@code /api/v1/query}, so any path of any host could be
 * fetched). The query path is appended to the base path, never parsed together with it, so nothing in the base
 * URL can change which path is asked for.
 */
public final class PrometheusUrl {
  private static final String QUERY_PATH = "/api/v1/query";

  private final String scheme;
  private final String rawAuthority;
  /** The base path without trailing slashes, empty for the root. */
  private final String rawPath;

  private PrometheusUrl(String scheme, String rawAuthority, String rawPath) {
    this.scheme = scheme;
    this.rawAuthority = rawAuthority;
    this.rawPath = rawPath;
  }

  /**
   * @param field what to name in the error, e.g. {@code spec.analysis.prometheus.url} or {@code --prometheus-url}
   * @throws IllegalArgumentException naming the field when the URL is not acceptable
   */
  public static PrometheusUrl parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw invalid(field, "is empty");
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw invalid(field, "must use http or https");
    if (uri.isOpaque() || uri.getHost() == null) throw invalid(field, "must name a host");
    if (uri.getRawUserInfo() != null) throw invalid(field, "must not carry user info");
    if (uri.getRawQuery() != null) throw invalid(field, "must not have a query (?)");
    if (uri.getRawFragment() != null) throw invalid(field, "must not have a fragment (#)");
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return new PrometheusUrl(scheme, uri.getRawAuthority(), path);
  }

  /** {@code <base>/api/v1/query?query=<promQl>}: the path is always the query API under the base path. */
  public URI queryUri(String promQl) {
    return URI.create(scheme + "://" + rawAuthority + rawPath + QUERY_PATH + "?query="
        + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return scheme + "://" + rawAuthority + rawPath;
  }

  private static IllegalArgumentException invalid(String field, String problem) {
    return new IllegalArgumentException(field + ": " + problem
        + "; expected an absolute http or https URL without user info, query or fragment, such as http://prometheus.monitoring:9090");
  }
}
