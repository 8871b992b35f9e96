package io.parallelrun.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.operator.policy.PolicyViolation;
import io.parallelrun.testing.RepoFiles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md's table "Conditions and their reasons" names every condition type and every reason the operator
 * writes: a constant added to ConditionReasons (or a policy reason) without a row there fails here.
 */
class ConditionReasonsAreDocumentedTest {
  static final String SECTION = "### Conditions and their reasons";
  /** A table row: | type | status / reasons | when |. */
  static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| (True|False|Unknown) / ([^|]+) \\|", Pattern.MULTILINE);

  @Test
  void everyConditionTypeAndReasonHasARowInTheApiReference() {
    Set<String> types = new HashSet<>();
    Set<String> reasons = new HashSet<>();
    Matcher row = ROW.matcher(conditionsTable());
    while (row.find()) {
      types.add(row.group(1));
      Matcher word = Pattern.compile("[A-Za-z]+").matcher(row.group(3));
      while (word.find()) reasons.add(word.group());
    }

    assertThat(types).as("condition types in the table of docs/api.md").containsExactlyInAnyOrder(
        ParallelRunStatus.READY, ParallelRunStatus.PROGRESSING, ParallelRunStatus.METRICS_AVAILABLE,
        ParallelRunStatus.TRAFFIC_OBSERVED);
    assertThat(reasons).as("reasons in the table of docs/api.md").containsAll(constants(ConditionReasons.class))
        .containsAll(List.of(PolicyViolation.IMAGE_NOT_ALLOWED, PolicyViolation.BACKEND_NOT_ALLOWED,
            PolicyViolation.PROMETHEUS_URL_NOT_ALLOWED));
  }

  @Test
  void theReasonsAreConstantsOneWordEach() {
    assertThat(constants(ConditionReasons.class)).hasSizeGreaterThanOrEqualTo(11)
        .allSatisfy(reason -> assertThat(reason).matches("[A-Z][A-Za-z]+")).doesNotHaveDuplicates();
  }

  private static String conditionsTable() {
    String doc = RepoFiles.read(RepoFiles.root().resolve("docs/api.md"));
    int start = doc.indexOf(SECTION);
    assertThat(start).as("section '%s' in docs/api.md", SECTION).isNotNegative();
    int end = doc.indexOf("\n#", start + SECTION.length());
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  private static List<String> constants(Class<?> holder) {
    return Arrays.stream(holder.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(ConditionReasonsAreDocumentedTest::value).toList();
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(field.getName(), e);
    }
  }
}
