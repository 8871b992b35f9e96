package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusSpec {
  @Required
  @Size(max = 2048)
  // No user info, query or fragment: a trailing '#' or '?' once swallowed the /api/v1/query the operator appends,
  // so any path could be fetched. isURL() accepts all three, hence the checks on the text.
  @ValidationRule(value = "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''"
      + " && !self.contains('#') && !self.contains('?') && !self.matches('^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*@')",
      message = "url must be an absolute http or https URL without user info, query or fragment, such as http://prometheus.monitoring:9090")
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090. Its host must "
      + "be allowed by the operator's --allowed-prometheus-hosts when set; link-local and cloud metadata addresses are "
      + "always refused unless named there (Ready False, reason PrometheusUrlNotAllowed).")
  private String url;

  public PrometheusSpec() {}

  public PrometheusSpec(String url) { this.url = url; }

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
}
