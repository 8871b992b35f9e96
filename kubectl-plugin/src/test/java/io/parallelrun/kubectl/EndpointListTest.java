package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointListTest {
  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "null          | a     | a",
      "''            | a b   | a,b",
      "a             | a     | a",
      "'a, b'        | c a   | a,b,c",
      "a             | *     | *",
      "*             | a     | *",
      "' ,a,,'       | b     | a,b",
  })
  void addingKeepsOrderNeverRepeatsAndStarAbsorbs(String current, String added, String expected) {
    assertThat(EndpointList.with(current, List.of(added.split(" ")))).isEqualTo(expected);
  }
}
