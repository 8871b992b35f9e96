package io.parallelrun.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.testing.RealParts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD's rules for durations, the confidence, the latency ratios and the Prometheus URL, on a real kube-apiserver: what the operator would refuse
 * (SpecDefaults, PrometheusUrl) the API server refuses first, naming the field.
 */
@EnableKubeAPIServer
@RealParts
class SpecBoundsOnApiServerTest {
  static KubernetesClient client;

  @BeforeAll
  static void crd() {
    Cluster.applyCrd(client);
  }

  private static GenericKubernetesResource run(String name, String specExtra) {
    return Serialization.unmarshal("""
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata: {name: %s, namespace: default}
        spec:
          legacy: {service: {name: legacy, port: 8080}}
          candidate: {service: {name: candidate, port: 8080}}
          endpoints: [{name: a, method: GET, path: /a}]
        %s
        """.formatted(name, specExtra), GenericKubernetesResource.class);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "ok-1 | '  analysis: {interval: 1s, prometheus: {url: \"https://prom.example:9090/tenant-a/\"}}' | ",
      "ok-2 | '  defaults: {threshold: {window: 168h, holdFor: 0s}}' | ",
      "ok-3 | '  analysis: {interval: 1h}' | ",
      "ok-4 | '  proxy: {tuning: {maxBodyBytes: 16777216, shadowTimeout: 10ms, upstreamTimeout: 1h, clientIdleTimeout: 0s}}' | ",
      "ok-5 | '  defaults: {threshold: {confidence: 50}}' | ",
      "ok-6 | '  defaults: {threshold: {confidence: 99.9}}' | ",
      "bad-1 | '  analysis: {interval: 0s}' | spec.analysis.interval: Invalid value: \"string\": interval must be between 1s and 1h",
      "bad-2 | '  analysis: {interval: 61m}' | spec.analysis.interval: Invalid value: \"string\": interval must be between 1s and 1h",
      "bad-3 | '  analysis: {interval: 9223372036854775807h}' | spec.analysis.interval",
      "bad-4 | '  defaults: {threshold: {window: 169h}}' | spec.defaults.threshold.window: Invalid value: \"string\": window must be between 1s and 168h",
      "bad-5 | '  defaults: {threshold: {holdFor: 200h}}' | spec.defaults.threshold.holdFor: Invalid value: \"string\": holdFor must be between 0s and 168h",
      "bad-6 | '  analysis: {prometheus: {url: \"http://prom:9090/secret#\"}}' | spec.analysis.prometheus.url: Invalid value: \"string\": url must be an absolute http or https URL without user info, query or fragment",
      "bad-7 | '  analysis: {prometheus: {url: \"http://prom:9090/x?query=up\"}}' | spec.analysis.prometheus.url: Invalid value",
      "bad-8 | '  analysis: {prometheus: {url: \"http://user:pw@prom:9090\"}}' | spec.analysis.prometheus.url: Invalid value",
      "bad-9 | '  analysis: {prometheus: {url: \"file:///etc/passwd\"}}' | spec.analysis.prometheus.url: Invalid value",
      "bad-10 | '  proxy: {tuning: {shadowTimeout: 6m}}' | spec.proxy.tuning.shadowTimeout: Invalid value: \"string\": shadowTimeout must be between 10ms and 5m",
      "bad-11 | '  proxy: {tuning: {clientBodyTimeout: 2h}}' | spec.proxy.tuning.clientBodyTimeout: Invalid value: \"string\": clientBodyTimeout must be between 0s and 1h",
      "bad-12 | '  proxy: {tuning: {maxBodyBytes: 16777217}}' | spec.proxy.tuning.maxBodyBytes: Invalid value: 16777217",
      "bad-13 | '  proxy: {tuning: {poolSize: 0}}' | spec.proxy.tuning.poolSize: Invalid value: 0",
      "bad-14 | '  defaults: {threshold: {confidence: 100}}' | spec.defaults.threshold.confidence: Invalid value",
      "bad-15 | '  defaults: {threshold: {confidence: 49.9}}' | spec.defaults.threshold.confidence: Invalid value",
      "ok-7 | '  defaults: {threshold: {latency: {p50Ratio: 1.0, p99Ratio: 100}}}\n  rollback: {latency: {p99RatioAbove: 1.5}}' | ",
      "bad-16 | '  defaults: {threshold: {latency: {p99Ratio: 0.9}}}' | spec.defaults.threshold.latency.p99Ratio: Invalid value",
      "bad-17 | '  defaults: {threshold: {latency: {p50Ratio: 101}}}' | spec.defaults.threshold.latency.p50Ratio: Invalid value",
      "bad-18 | '  rollback: {latency: {p99RatioAbove: 0}}' | spec.rollback.latency.p99RatioAbove: Invalid value",
      "ok-8 | '  defaults: {threshold: {latency: {p99Ratio: 1.2, minDifference: 0s}}}' | ",
      "ok-9 | '  defaults: {threshold: {latency: {minDifference: 10s}}}' | ",
      "bad-19 | '  defaults: {threshold: {latency: {minDifference: 10s1ms}}}' | spec.defaults.threshold.latency.minDifference: Invalid value: \"string\": minDifference must be between 0s and 10s",
      "bad-20 | '  defaults: {threshold: {latency: {minDifference: 1d}}}' | spec.defaults.threshold.latency.minDifference: Invalid value",
  })
  void durationsAndPrometheusUrlAreCheckedByTheApiServer(String name, String specExtra, String error) {
    GenericKubernetesResource resource = run(name, specExtra);
    var resources = client.genericKubernetesResources("parallelrun.io/v1alpha1", "ParallelRun").inNamespace("default");
    if (error == null) {
      assertThat(resources.resource(resource).create()).isNotNull();
    } else {
      assertThatThrownBy(() -> resources.resource(resource).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
          .hasMessageContaining(error);
    }
  }
}
