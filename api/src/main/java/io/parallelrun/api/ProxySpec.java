package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySpec {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Number of proxy pods (default 2).")
  private Integer replicas;

  @Size(max = 512)
  @JsonPropertyDescription("Proxy container image. Default: the operator's --proxy-image / PARALLELRUN_PROXY_IMAGE. "
      + "Another image must be allowed by the operator's --allowed-proxy-images, else the run is not deployed "
      + "(Ready False, reason ImageNotAllowed).")
  private String image;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port the proxy Service listens on for client traffic (default 8080).")
  private Integer port;

  @JsonPropertyDescription("Compute resources of the proxy container; replaces the default as a whole. Default: "
      + "requests cpu 500m, memory 768Mi; limits cpu 2, memory 768Mi. The JVM heap is 75% of the memory limit.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("The proxy's limits and timeouts (body size, in-flight comparisons, backend and client "
      + "timeouts, pool sizes); each unset field keeps the proxy's default. A change rolls the proxy pods.")
  private ProxyTuningSpec tuning;

  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public ProxyTuningSpec getTuning() { return tuning; }
  public void setTuning(ProxyTuningSpec tuning) { this.tuning = tuning; }
}
