package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComparatorSpec {
  @Size(min = 1, max = 3)
  @JsonPropertyDescription("Which parts of the responses to compare: status, headers, body (default all three).")
  private List<CompareAxis> compare;

  @Size(max = 64)
  @JsonPropertyDescription("Response headers to ignore, case-insensitive, in addition to the built-in volatile and framing headers (Date, Server, Content-Length, Transfer-Encoding, Connection, Keep-Alive, X-Request-Id, trace headers).")
  private List<String> ignoreHeaders;

  @Size(max = 64)
  @JsonPropertyDescription("JSON paths (Jayway syntax, wildcards allowed, e.g. $.items[*].updatedAt) removed from both bodies before comparing.")
  private List<String> ignoreJsonPaths;

  @Size(max = 64)
  @JsonPropertyDescription("JSON paths of arrays whose element order does not matter.")
  private List<String> unorderedArrays;

  @Min(0)
  @JsonPropertyDescription("Largest absolute difference at which two JSON numbers still match (default 0: 1 and 1.0 match, 1 and 1.001 do not).")
  private Double numericTolerance;

  @JsonPropertyDescription("Noise learning: after an unmatched comparison on a mirrored GET, HEAD or OPTIONS endpoint the proxy may ask legacy the same request once more; fields at which legacy's two answers differ are noise. Off: no probes. Report (default): count noise (parallelrun_noise_fields_total, status.endpoints[].differences). Ignore: also leave a header or JSON field out of this endpoint's comparisons once it has been noise in noiseIgnoreAfter probes (status.endpoints[].ignoredNoise).")
  private NoiseMode noise;

  @Min(SpecDefaults.NOISE_PROBES_PER_MINUTE_MIN)
  @Max(SpecDefaults.NOISE_PROBES_PER_MINUTE_MAX)
  @JsonPropertyDescription("Most noise probes a proxy sends per minute for this endpoint (default 60); never more than 5% of the endpoint's requests either.")
  private Integer noiseProbesPerMinute;

  @Min(SpecDefaults.NOISE_IGNORE_AFTER_MIN)
  @Max(SpecDefaults.NOISE_IGNORE_AFTER_MAX)
  @JsonPropertyDescription("With noise: Ignore, in how many probes a field must have been seen as noise before the proxy leaves it out of comparisons (default 5).")
  private Integer noiseIgnoreAfter;

  public List<CompareAxis> getCompare() { return compare; }
  public void setCompare(List<CompareAxis> compare) { this.compare = compare; }
  public List<String> getIgnoreHeaders() { return ignoreHeaders; }
  public void setIgnoreHeaders(List<String> ignoreHeaders) { this.ignoreHeaders = ignoreHeaders; }
  public List<String> getIgnoreJsonPaths() { return ignoreJsonPaths; }
  public void setIgnoreJsonPaths(List<String> ignoreJsonPaths) { this.ignoreJsonPaths = ignoreJsonPaths; }
  public List<String> getUnorderedArrays() { return unorderedArrays; }
  public void setUnorderedArrays(List<String> unorderedArrays) { this.unorderedArrays = unorderedArrays; }
  public Double getNumericTolerance() { return numericTolerance; }
  public void setNumericTolerance(Double numericTolerance) { this.numericTolerance = numericTolerance; }
  public NoiseMode getNoise() { return noise; }
  public void setNoise(NoiseMode noise) { this.noise = noise; }
  public Integer getNoiseProbesPerMinute() { return noiseProbesPerMinute; }
  public void setNoiseProbesPerMinute(Integer noiseProbesPerMinute) { this.noiseProbesPerMinute = noiseProbesPerMinute; }
  public Integer getNoiseIgnoreAfter() { return noiseIgnoreAfter; }
  public void setNoiseIgnoreAfter(Integer noiseIgnoreAfter) { this.noiseIgnoreAfter = noiseIgnoreAfter; }
}
