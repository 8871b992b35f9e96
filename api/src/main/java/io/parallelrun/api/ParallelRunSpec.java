package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Endpoint names are the keys of the list: the API server itself rejects duplicates, and server-side
// apply merges endpoints by name instead of replacing the whole list.
@SchemaCustomizer(value = ListMapKeys.class, input = "endpoints=name")
public class ParallelRunSpec {
  @Required
  @JsonPropertyDescription("The implementation being replaced. It answers every endpoint until that endpoint is cut over.")
  private BackendSpec legacy;

  @Required
  @JsonPropertyDescription("The new implementation. It receives shadow copies and takes over endpoint by endpoint.")
  private BackendSpec candidate;

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("The endpoints to compare and cut over, each identified by a unique name. Requests that match no endpoint go to legacy and are not compared.")
  private List<EndpointSpec> endpoints = new ArrayList<>();

  @JsonPropertyDescription("Thresholds, comparator rules and weight steps that apply to every endpoint unless the endpoint overrides them.")
  private DefaultsSpec defaults;

  @JsonPropertyDescription("When to send an endpoint back to legacy.")
  private RollbackSpec rollback;

  @JsonPropertyDescription("Freezes every endpoint at its current weight and state; traffic keeps flowing and being compared.")
  private Boolean paused;

  @JsonPropertyDescription("Where and how often the operator reads match rates.")
  private AnalysisSpec analysis;

  @JsonPropertyDescription("The mirroring proxy Deployment the operator runs for this parallel run.")
  private ProxySpec proxy;

  @JsonPropertyDescription("What the proxy may keep of mismatching requests and responses.")
  private DataProtectionSpec dataProtection;

  public BackendSpec getLegacy() { return legacy; }
  public void setLegacy(BackendSpec legacy) { this.legacy = legacy; }
  public BackendSpec getCandidate() { return candidate; }
  public void setCandidate(BackendSpec candidate) { this.candidate = candidate; }
  public List<EndpointSpec> getEndpoints() { return endpoints; }
  public void setEndpoints(List<EndpointSpec> endpoints) { this.endpoints = endpoints; }
  public DefaultsSpec getDefaults() { return defaults; }
  public void setDefaults(DefaultsSpec defaults) { this.defaults = defaults; }
  public RollbackSpec getRollback() { return rollback; }
  public void setRollback(RollbackSpec rollback) { this.rollback = rollback; }
  public Boolean getPaused() { return paused; }
  public void setPaused(Boolean paused) { this.paused = paused; }
  public AnalysisSpec getAnalysis() { return analysis; }
  public void setAnalysis(AnalysisSpec analysis) { this.analysis = analysis; }
  public ProxySpec getProxy() { return proxy; }
  public void setProxy(ProxySpec proxy) { this.proxy = proxy; }
  public DataProtectionSpec getDataProtection() { return dataProtection; }
  public void setDataProtection(DataProtectionSpec dataProtection) { this.dataProtection = dataProtection; }
}
