package io.parallelrun.proxy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.proxy.metrics.ProxyMetrics;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.source.ManifestFile;
import org.junit.jupiter.api.Test;

class RoutingTableFactoryTest {
  private final RoutingTableFactory standalone = new RoutingTableFactory(BackendResolver.urlsOnly(), new ProxyMetrics());

  private static String manifest(String legacy, String endpoints, String status) {
    return """
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata:
          name: shop
        spec:
          legacy:
        %s
          candidate:
            url: http://127.0.0.1:9002/v2
          endpoints:
        %s
        %s
        """.formatted(legacy, endpoints, status);
  }

  private static final String URL = "    url: http://127.0.0.1:9001";
  private static final String ENDPOINTS = """
          - name: get-order
            method: GET
            path: /orders/{id}
          - name: new-order
            method: GET
            path: /orders/new
          - name: create-order
            method: POST
            path: /orders
        """;

  private RoutingTable build(String yaml) {
    return standalone.build(ManifestFile.parse(yaml, "test.yaml"));
  }

  @Test
  void buildsRoutesWithDefaultsWeightsAndSpecificity() {
    RoutingTable t = build(manifest(URL, ENDPOINTS, """
        status:
          endpoints:
          - name: create-order
            weight: 40
        """));
    assertThat(t.namespace()).isEqualTo("default");
    assertThat(t.name()).isEqualTo("shop");
    assertThat(t.legacy().port()).isEqualTo(9001);
    assertThat(t.candidate().uri("/x?y=1")).isEqualTo("/v2/x?y=1");
    assertThat(t.match("GET", "/orders/new").name()).isEqualTo("new-order");
    assertThat(t.match("GET", "/orders/7").name()).isEqualTo("get-order");
    assertThat(t.match("POST", "/orders").weight()).isEqualTo(40);
    assertThat(t.match("POST", "/orders").endpoint().mirror()).isFalse();
    assertThat(t.match("GET", "/orders/7").endpoint().mirror()).isTrue();
    assertThat(t.match("GET", "/orders/7").weight()).isZero();
    assertThat(t.match("PUT", "/orders")).isNull();
  }

  @Test
  void badManifestsNameTheField() {
    assertThatThrownBy(() -> build(manifest("    service: {name: legacy, port: 80}", ENDPOINTS, "")))
        .hasMessageContaining("spec.legacy.url");
    assertThatThrownBy(() -> build(manifest("    url: ftp://x", ENDPOINTS, "")))
        .hasMessageContaining("spec.legacy.url");
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: a
            method: GET
            path: orders
        """, ""))).hasMessageContaining("spec.endpoints[0].path");
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: a
            method: GET
            path: /a
          - name: a
            method: GET
            path: /b
        """, ""))).hasMessageContaining("spec.endpoints[1].name");
    // The no-route bucket's endpoint label: not a DNS label, so no endpoint can share its series.
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: %s
            method: GET
            path: /a
        """.formatted(MetricLabels.NO_ROUTE_ENDPOINT), ""))).hasMessageContaining("spec.endpoints[0].name")
        .hasMessageContaining("must be a lowercase DNS label");
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: a
            method: GET
            path: /a
            comparator:
              ignoreJsonPaths: ["$.[[["]
        """, ""))).hasMessageContaining("spec.endpoints[0].comparator");
    // A standalone manifest no API server checked: a noiseIgnoreAfter of 0 would ignore a field after one probe.
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: a
            method: GET
            path: /a
            comparator:
              noise: Ignore
              noiseIgnoreAfter: 0
        """, ""))).hasMessageContaining("spec.endpoints[0].comparator.noiseIgnoreAfter: must be between 1 and 1000");
    assertThatThrownBy(() -> build(manifest(URL, ENDPOINTS, """
        status:
          endpoints:
          - name: get-order
            weight: 140
        """))).hasMessageContaining("status.endpoints[0].weight");
    assertThatThrownBy(() -> build(manifest(URL, """
          - name: a
            method: FETCH
            path: /a
        """, ""))).hasMessageContaining("FETCH");
    assertThatThrownBy(() -> build(manifest(URL + "\n    protocol: HTTP3", ENDPOINTS, "")))
        .hasMessageContaining("HTTP3").hasMessageContaining("\"protocol\"");
    assertThatThrownBy(() -> build("just: [text")).hasMessageContaining("test.yaml");
  }

  @Test
  void servicesResolveThroughTheTemplate() {
    var inCluster = new RoutingTableFactory(BackendResolver.withServices(null), new ProxyMetrics());
    RoutingTable t = inCluster.build(ManifestFile.parse(manifest("    service: {name: legacy, port: 8080}", ENDPOINTS, "")
        .replace("name: shop", "name: shop\n  namespace: team-a"), "test"));
    assertThat(t.legacy().toString()).isEqualTo("http://legacy.team-a.svc:8080");
    var local = new RoutingTableFactory(BackendResolver.withServices("http://127.0.0.1:1{port}"), new ProxyMetrics());
    assertThat(local.build(ManifestFile.parse(manifest("    service: {name: legacy, port: 8080}", ENDPOINTS, ""), "t"))
        .legacy().port()).isEqualTo(18080);
  }

  @Test
  void eachBackendIsSpokenToOverHttp1UnlessHttp2IsAsked() {
    RoutingTable t = build(manifest(URL + "\n    protocol: HTTP2", ENDPOINTS, ""));
    assertThat(t.legacy().http2()).isTrue();
    assertThat(t.candidate().http2()).isFalse();
    assertThat(build(manifest(URL + "\n    protocol: HTTP1", ENDPOINTS, "")).legacy().http2()).isFalse();
    var inCluster = new RoutingTableFactory(BackendResolver.withServices(null), new ProxyMetrics());
    assertThat(inCluster.build(ManifestFile.parse(manifest("    service: {name: legacy, port: 8080}\n    protocol: HTTP2",
        ENDPOINTS, ""), "t")).legacy().http2()).isTrue();
  }
}
