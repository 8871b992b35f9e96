package io.parallelrun.proxy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeBudgetTest {
  private static final long SECOND = 1_000_000_000L;

  /**
   * Probes asked for once a second for {@code seconds} with {@code requests} requests seen: how many the budget
   * gives. The rate is a sliding minute (no doubling at a minute's edge), the share 1 probe per 20 requests.
   */
  @ParameterizedTest(name = "{0}/min, {1} requests, asked for {2} s -> {3}")
  @CsvSource({
      "3,   1000, 30,  3", // the rate: 3 in the first minute
      "3,   1000, 60,  3", // still 3: the first one was taken at 0 s, the window ends before 60 s
      "3,   1000, 61,  4", // the first one left the window
      "3,   1000, 130, 9",
      "600, 59,   30,  2", // the share: 59 / 20
      "600, 60,   30,  3",
      "600, 19,   30,  0",
      "1,   1000, 59,  1",
  })
  void givesAtMostTheRateInAnyMinuteAndTheShareOfRequests(int perMinute, long requests, int seconds, int given) {
    AtomicLong now = new AtomicLong(123 * SECOND);
    ProbeBudget budget = new ProbeBudget(now::get);
    int taken = 0;
    for (int s = 0; s < seconds; s++) {
      if (budget.tryTake(perMinute, requests)) taken++;
      now.addAndGet(SECOND);
    }
    assertThat(taken).isEqualTo(given);
  }
}
