package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
// A provider carries its own URL, credentials and CA: a raw URL next to it would be ambiguous.
@ValidationRule(value = "!(has(self.provider) && has(self.prometheus))",
    message = "provider and prometheus are mutually exclusive: name a provider or give prometheus.url, not both")
public class AnalysisSpec {
  @Pattern(SpecDefaults.ANALYSIS_PROVIDER_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription("Name of an analysis provider configured by whoever runs the operator (--analysis-providers, "
      + "chart: analysisProviders): a Prometheus-compatible API with its URL, credentials, CA and headers. Mutually "
      + "exclusive with prometheus. An unknown name leaves MetricsAvailable False (reason UnknownProvider).")
  private String provider;

  @JsonPropertyDescription("The Prometheus that scrapes the proxy. Default: the operator's --prometheus-url / PARALLELRUN_PROMETHEUS_URL. "
      + "Mutually exclusive with provider; refused (PrometheusUrlNotAllowed) where the operator does not allow raw URLs.")
  private PrometheusSpec prometheus;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SpecDefaults.ANALYSIS_INTERVAL_RULE, message = "interval " + SpecDefaults.ANALYSIS_INTERVAL_BOUNDS)
  @JsonPropertyDescription("How often match rates are read and decisions taken, a duration such as 30s (default 30s; "
      + SpecDefaults.ANALYSIS_INTERVAL_MIN + " to " + SpecDefaults.ANALYSIS_INTERVAL_MAX + ").")
  private String interval;

  public String getProvider() { return provider; }
  public void setProvider(String provider) { this.provider = provider; }
  public PrometheusSpec getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusSpec prometheus) { this.prometheus = prometheus; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
}
