package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointSpec {
  /**
   * Endpoint names are lowercase DNS labels: they become the {@code endpoint} metric label, whose one reserved
   * value, {@code MetricLabels.NO_ROUTE_ENDPOINT}, this pattern rejects.
   */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** Template grammar: literal segments, {param} for one segment, a trailing ** for the rest. */
  public static final String PATH_PATTERN =
      "^/((([^/{}*?#\\s]+|\\{[A-Za-z_][A-Za-z0-9_]*\\})(/([^/{}*?#\\s]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))*)(/\\*\\*)?|\\*\\*)?$";

  @Required
  @Size(max = 63)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Unique name of the endpoint, lowercase DNS-label style. It is the `endpoint` label of the proxy's metrics.")
  private String name;

  @Required
  @JsonPropertyDescription("HTTP method the endpoint matches.")
  private HttpMethod method;

  @Required
  @Size(max = 1024)
  @ValidationRule(value = "self.matches(r'" + PATH_PATTERN + "')",
      message = "path must start with / and consist of literal segments, {param} segments and an optional trailing /**")
  @JsonPropertyDescription("Path template: it starts with /, has literal segments, {param} matches exactly one segment and a trailing /** matches the rest, e.g. /orders/{id}/returns or /static/**.")
  private String path;

  @JsonPropertyDescription("Overrides defaults.threshold for this endpoint.")
  private ThresholdSpec threshold;

  @JsonPropertyDescription("Overrides defaults.comparator for this endpoint; lists replace, they do not add.")
  private ComparatorSpec comparator;

  @Size(min = 1, max = 20)
  @ValidationRule(value = "self.all(w, w >= 1 && w <= 100)", message = "steps must be percentages from 1 to 100")
  @ValidationRule(value = "self.isSorted() && self.all(w, self.exists_one(v, v == w)) && self[self.size() - 1] == 100",
      message = "steps must be strictly ascending and end at 100")
  @JsonPropertyDescription("Overrides defaults.steps: candidate weights in percent, strictly ascending, ending at 100.")
  private List<Integer> steps;

  @JsonPropertyDescription("Send a shadow copy of each request to the other side. Defaults to true for GET, HEAD and OPTIONS and false otherwise, so writes are never executed twice unless asked for (the shadow carries X-Parallel-Run: shadow).")
  private Boolean mirror;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percent of this endpoint's requests that are mirrored and compared (default 100); lowers the extra load on the shadow side.")
  private Integer mirrorPercent;

  @JsonPropertyDescription("Automatic (default) promotes once the threshold has held; Manual waits for the parallelrun.io/approve annotation.")
  private Promotion promotion;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public HttpMethod getMethod() { return method; }
  public void setMethod(HttpMethod method) { this.method = method; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public ThresholdSpec getThreshold() { return threshold; }
  public void setThreshold(ThresholdSpec threshold) { this.threshold = threshold; }
  public ComparatorSpec getComparator() { return comparator; }
  public void setComparator(ComparatorSpec comparator) { this.comparator = comparator; }
  public List<Integer> getSteps() { return steps; }
  public void setSteps(List<Integer> steps) { this.steps = steps; }
  public Boolean getMirror() { return mirror; }
  public void setMirror(Boolean mirror) { this.mirror = mirror; }
  public Integer getMirrorPercent() { return mirrorPercent; }
  public void setMirrorPercent(Integer mirrorPercent) { this.mirrorPercent = mirrorPercent; }
  public Promotion getPromotion() { return promotion; }
  public void setPromotion(Promotion promotion) { this.promotion = promotion; }
}
