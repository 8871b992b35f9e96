package io.parallelrun.operator.observe.provider;

import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.observe.PrometheusClient.QueryException;
import io.parallelrun.operator.observe.PrometheusSource;
import io.parallelrun.operator.observe.PrometheusUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus-compatible API the platform team configured (Thanos, Mimir, Cortex, a managed service): its URL,
 * credentials and CA bundle read from mounted files on each use, extra headers such as X-Scope-OrgID, and a
 * timeout. Runs name it in spec.analysis.provider and need no Secret of their own. Every protection of
 * {@link PrometheusClient} holds (one deadline, the answer cap, no redirects, the fixed status vocabulary); status
 * names the provider, never its URL or the remote side's words.
 */
public final class AnalysisProvider implements PrometheusSource {
  static final String TLS_FAILED = "TLS handshake failed (is the server's certificate signed by the provider's caFile, "
      + "and is it issued for the URL's host?)";

  private final String name;
  private final PrometheusUrl url;
  private final Credentials credentials;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final CaBundleClients clients;

  AnalysisProvider(String name, PrometheusUrl url, Credentials credentials, Map<String, String> headers,
      Duration timeout, CaBundleClients clients) {
    this.name = name;
    this.url = url;
    this.credentials = credentials;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.clients = clients;
  }

  public String name() {
    return name;
  }

  public PrometheusUrl url() {
    return url;
  }

  public Duration timeout() {
    return timeout;
  }

  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public List<PrometheusClient.Sample> query(String promQl) throws QueryException {
    Map<String, String> request = new LinkedHashMap<>(headers);
    PrometheusClient client;
    try {
      credentials.authorization().ifPresent(value -> request.put("Authorization", value));
      client = clients.client();
    } catch (IOException e) {
      // A Secret deleted or emptied after the start: say which provider; the path stays in the log.
      throw QueryException.beforeSending("ProviderMisconfigured",
          describe() + ": its credentials or CA bundle cannot be read (see the operator's log)",
          describe() + ": " + e.getMessage(), e);
    }
    try {
      return client.query(url, request, promQl);
    } catch (QueryException e) {
      if (e.tlsHandshakeFailed()) throw e.withStatus("TlsFailed", describe() + ": " + TLS_FAILED);
      throw e.withStatus(e.reason(), describe() + ": " + e.statusMessage());
    }
  }

  @Override
  public String describe() {
    return "analysis provider " + name;
  }

  /** Credentials are not shown: only where they come from. */
  @Override
  public String toString() {
    return name + " (" + url + ", credentials " + credentials.field() + ", headers " + headers.keySet()
        + ", timeout " + timeout.toMillis() + "ms)";
  }
}
