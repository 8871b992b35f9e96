package io.parallelrun.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.parallelrun.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags --help prints, the table in proxy/README.md and what the parser accepts are the same set. */
class ProxyFlagsDocTest {
  private static final Pattern USAGE_LINE = Pattern.compile("(?m)^\\s+(--[a-z0-9-]+)(?: ([A-Z:]+))?");
  private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `(--[a-z0-9-]+)[ `]");
  private static final Set<String> NOT_SETTINGS = Set.of("--help", "--version");

  @Test
  void theReadmeTableListsExactlyTheFlagsOfTheUsage() throws IOException {
    String readme = Files.readString(RepoFiles.root().resolve("proxy/README.md"));
    Set<String> documented = all(TABLE_ROW.matcher(readme));
    Set<String> usage = all(USAGE_LINE.matcher(ProxyOptions.USAGE));
    usage.removeAll(NOT_SETTINGS);
    assertThat(documented).isEqualTo(usage);
  }

  @Test
  void everyFlagOfTheUsageIsAcceptedWithAValueOfTheFormItNames(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "secret");
    Matcher m = USAGE_LINE.matcher(ProxyOptions.USAGE);
    int checked = 0;
    while (m.find()) {
      String flag = m.group(1);
      if (NOT_SETTINGS.contains(flag)) continue;
      String value = switch (String.valueOf(m.group(2))) {
        case "N" -> "4096"; // at least the largest minimum (sample sizes: 1024)
        case "DURATION" -> "1500ms";
        case "HOST:PORT" -> "127.0.0.1:18080";
        case "FILE" -> file.toString();
        default -> throw new AssertionError(flag + ": the usage names no value form this test knows: " + m.group(2));
      };
      assertThatCode(() -> ProxyOptions.parse(new String[] {flag, value}, Map.of())).as(flag).doesNotThrowAnyException();
      checked++;
    }
    assertThat(checked).as("flags checked").isGreaterThan(20);
  }

  private static Set<String> all(Matcher m) {
    Set<String> found = new TreeSet<>();
    while (m.find()) found.add(m.group(1));
    return found;
  }
}
