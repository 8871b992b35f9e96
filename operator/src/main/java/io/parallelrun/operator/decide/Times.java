package io.parallelrun.operator.decide;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as Kubernetes writes them: UTC, whole seconds. */
public final class Times {
  private Times() {}

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Rounded up to the next whole second: a hold start stored this way can only make the hold last a little
   * longer, never end early.
   */
  public static String formatCeil(Instant instant) {
    Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
    return (whole.equals(instant) ? whole : whole.plusSeconds(1)).toString();
  }

  /** Null for a missing or unreadable timestamp: the decision then starts that hold over, never skips it. */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
