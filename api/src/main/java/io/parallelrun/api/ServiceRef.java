package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRef {
  @Required
  @Size(max = 63)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Service, in the ParallelRun's namespace.")
  private String name;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the Service.")
  private Integer port;

  public ServiceRef() {}

  public ServiceRef(String name, Integer port) {
    this.name = name;
    this.port = port;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
}
