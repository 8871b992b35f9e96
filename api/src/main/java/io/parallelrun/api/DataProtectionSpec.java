package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataProtectionSpec {
  @JsonPropertyDescription("What the proxy keeps of a mismatch (in memory, served at its admin /mismatches, and logged): None, Redacted (default) or Full.")
  private MismatchSamples mismatchSamples;

  @Size(max = 64)
  @JsonPropertyDescription("JSON paths (Jayway syntax) whose values are replaced by \"[REDACTED]\" in kept samples, e.g. $.customer.email.")
  private List<String> redactJsonPaths;

  @Size(max = 64)
  @JsonPropertyDescription("Header values to redact in kept samples, in addition to Authorization, Cookie and Set-Cookie.")
  private List<String> redactHeaders;

  @JsonPropertyDescription("Show request paths in kept samples and mismatch log lines as the endpoint's template (/orders/{id}, /files/**) instead of the path requested, and drop the query string, since paths and queries can hold personal data and tokens. Default: true, except in Full mode.")
  private Boolean redactPaths;

  public MismatchSamples getMismatchSamples() { return mismatchSamples; }
  public void setMismatchSamples(MismatchSamples mismatchSamples) { this.mismatchSamples = mismatchSamples; }
  public List<String> getRedactJsonPaths() { return redactJsonPaths; }
  public void setRedactJsonPaths(List<String> redactJsonPaths) { this.redactJsonPaths = redactJsonPaths; }
  public List<String> getRedactHeaders() { return redactHeaders; }
  public void setRedactHeaders(List<String> redactHeaders) { this.redactHeaders = redactHeaders; }
  public Boolean getRedactPaths() { return redactPaths; }
  public void setRedactPaths(Boolean redactPaths) { this.redactPaths = redactPaths; }
}
