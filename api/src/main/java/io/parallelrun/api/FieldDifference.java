package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One field at which an endpoint's unmatched comparisons differed in the window: status.endpoints[].differences. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldDifference {
  @Required
  @JsonPropertyDescription("The part of the answers that differed, by name, never by value: status, header:<lower-case name>, body:<JSON path> or body (a body that is not JSON), as in parallelrun_mismatch_fields_total; other gathers fields beyond the proxy's top ones.")
  private String field;

  @JsonPropertyDescription("Percent of the window's comparisons that differed at this field.")
  private Double percent;

  @JsonPropertyDescription("True when legacy's own answers to the same request differed at this field (noise probes), so the difference is noise, not a fault of the candidate.")
  private Boolean noise;

  @JsonPropertyDescription("A comparator rule that would leave this field out, e.g. 'ignoreHeaders: [x-served-by]' or 'ignoreJsonPaths: [\"$.generatedAt\"]'; set only for noise that a rule can name. Apply it through Git: the operator never writes spec.")
  private String suggestion;

  public FieldDifference() {}

  public FieldDifference(String field, Double percent, Boolean noise, String suggestion) {
    this.field = field;
    this.percent = percent;
    this.noise = noise;
    this.suggestion = suggestion;
  }

  public String getField() { return field; }
  public void setField(String field) { this.field = field; }
  public Double getPercent() { return percent; }
  public void setPercent(Double percent) { this.percent = percent; }
  public Boolean getNoise() { return noise; }
  public void setNoise(Boolean noise) { this.noise = noise; }
  public String getSuggestion() { return suggestion; }
  public void setSuggestion(String suggestion) { this.suggestion = suggestion; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof FieldDifference that)) return false;
    return Objects.equals(field, that.field) && Objects.equals(percent, that.percent)
        && Objects.equals(noise, that.noise) && Objects.equals(suggestion, that.suggestion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, percent, noise, suggestion);
  }

  @Override
  public String toString() {
    return field + " " + percent + "%" + (Boolean.TRUE.equals(noise) ? " noise" : "");
  }
}
