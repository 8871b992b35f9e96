package io.parallelrun.operator.observe;

import java.util.List;

/** Where one run's match rates are read: a Prometheus URL with the operator's shared client, or a named provider. */
public interface PrometheusSource {
  List<PrometheusClient.Sample> query(String promQl) throws PrometheusClient.QueryException;

  /** Names the source in status and logs, e.g. "Prometheus at http://prometheus:9090" or "analysis provider thanos". */
  String describe();

  /** A raw URL (spec.analysis.prometheus.url or --prometheus-url), queried with the operator's shared client. */
  static PrometheusSource url(PrometheusClient client, PrometheusUrl url) {
    return new PrometheusSource() {
      @Override
      public List<PrometheusClient.Sample> query(String promQl) throws PrometheusClient.QueryException {
        return client.query(url, promQl);
      }

      @Override
      public String describe() {
        return "Prometheus at " + url;
      }
    };
  }
}
