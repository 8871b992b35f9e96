package io.parallelrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * While the local node runs (hack/local-cluster.sh up --with-node), nothing it started may reach beyond this
 * machine: the host's routes are what they were before `up`, nothing new listens on a host address other than
 * loopback, and the node's network namespace has no default route. e2e/run-tests.sh records the host's routes and
 * listeners before `up` in the directory {@code -De2e.host.before} names. (Not run on kind, whose node is a
 * container of its own.)
 */
@EnabledIfSystemProperty(named = "e2e.host.before", matches = ".+")
@RealParts
class NodeIsHermeticTest {
  final Path before = Path.of(System.getProperty("e2e.host.before"));
  final String netns = System.getProperty("e2e.netns", "prun-node");

  @Test
  void theHostsRoutesAreUnchanged() throws Exception {
    assertThat(run("ip", "route", "show", "table", "all"))
        .isEqualTo(Files.readString(before.resolve("routes"), StandardCharsets.UTF_8));
  }

  @Test
  void nothingNewListensOnANonLoopbackAddressOfTheHost() throws Exception {
    List<String> was = nonLoopback(Files.readString(before.resolve("listeners"), StandardCharsets.UTF_8));
    List<String> now = nonLoopback(run("ss", "-Hltun"));
    assertThat(now).as("listeners on non-loopback addresses of the host (before the node: %s)", was).isSubsetOf(was);
  }

  @Test
  void theNodesNamespaceHasNoRouteOut() throws Exception {
    String routes = run("ip", "-n", netns, "route", "show", "table", "all");
    assertThat(routes).as("routes in the node's namespace").contains("10.244.0.0/24").doesNotContain("default");
  }

  /** The local addresses of listening sockets (column 5 of `ss -Hltun`) that are not loopback. */
  static List<String> nonLoopback(String ss) {
    return ss.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 5).map(f -> f[0] + " " + f[4])
        .filter(a -> !a.contains(" 127.") && !a.contains("[::ffff:127.") && !a.contains("[::1]") && !a.contains("%lo:"))
        .sorted().toList();
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
