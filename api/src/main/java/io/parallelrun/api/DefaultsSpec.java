package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DefaultsSpec {
  @JsonPropertyDescription("Threshold every endpoint must hold before it moves on.")
  private ThresholdSpec threshold;

  @JsonPropertyDescription("Comparator rules for every endpoint.")
  private ComparatorSpec comparator;

  @Size(min = 1, max = 20)
  @ValidationRule(value = "self.all(w, w >= 1 && w <= 100)", message = "steps must be percentages from 1 to 100")
  @ValidationRule(value = "self.isSorted() && self.all(w, self.exists_one(v, v == w)) && self[self.size() - 1] == 100",
      message = "steps must be strictly ascending and end at 100")
  @JsonPropertyDescription("Candidate weights in percent that an endpoint moves through, strictly ascending, ending at 100 (default [100]: one flip).")
  private List<Integer> steps;

  public ThresholdSpec getThreshold() { return threshold; }
  public void setThreshold(ThresholdSpec threshold) { this.threshold = threshold; }
  public ComparatorSpec getComparator() { return comparator; }
  public void setComparator(ComparatorSpec comparator) { this.comparator = comparator; }
  public List<Integer> getSteps() { return steps; }
  public void setSteps(List<Integer> steps) { this.steps = steps; }
}
