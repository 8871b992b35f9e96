package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.service) != has(self.url)",
    message = "exactly one of service or url must be set")
public class BackendSpec {
  @JsonPropertyDescription("A Service in the ParallelRun's namespace.")
  private ServiceRef service;

  @Size(max = 2048)
  @ValidationRule(value = "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''",
      message = "url must be an absolute http or https URL such as https://legacy.example.com:8443")
  @JsonPropertyDescription("An absolute http or https URL, for a backend outside the cluster or for the standalone proxy. "
      + "Its host must be allowed by the operator's --allowed-backend-hosts when set; link-local and cloud metadata "
      + "addresses are always refused unless named there (Ready False, reason BackendNotAllowed).")
  private String url;

  @JsonPropertyDescription("How the proxy speaks to this backend: HTTP1 (default) or HTTP2. HTTP2 is h2c with prior "
      + "knowledge on http URLs and Services (the server must accept it: gRPC servers, Go's h2c handler, Netty, Envoy "
      + "do) and is negotiated with ALPN on https URLs. Many requests then share a few connections: a candidate "
      + "answering 50 ms late at 10,000 req/s holds 500 shadow requests in flight, 500 connections over HTTP1.")
  private BackendProtocol protocol;

  public BackendSpec() {}

  public BackendSpec(ServiceRef service, String url) {
    this.service = service;
    this.url = url;
  }

  public ServiceRef getService() { return service; }
  public void setService(ServiceRef service) { this.service = service; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public BackendProtocol getProtocol() { return protocol; }
  public void setProtocol(BackendProtocol protocol) { this.protocol = protocol; }
}
