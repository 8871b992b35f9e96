package io.parallelrun.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** kubectl's conventions without a cluster: --help everywhere, usage errors are one line and exit 2. */
class CommandLineTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "status", "diff", "suggest", "approve", "rollback", "pause", "resume"})
  void everyCommandHasHelp(String subcommand) {
    Cli cli = subcommand.isEmpty() ? Cli.run("--help") : Cli.run(subcommand, "--help");
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("Usage: kubectl parallelrun" + (subcommand.isEmpty() ? "" : " " + subcommand));
    if (!subcommand.isEmpty()) assertThat(cli.out()).contains("--help");
    if (!subcommand.equals("diff") && !subcommand.isEmpty()) {
      assertThat(cli.out()).contains("-n, --namespace=NAMESPACE", "--context=CONTEXT", "--kubeconfig=FILE", "-o, --output=FORMAT");
    }
  }

  /**
   * docs/kubectl-plugin.md names every subcommand in the first column of its command table and of its RBAC table,
   * and every option the command line takes: a command or flag added without its documentation fails here.
   */
  @Test
  void everySubcommandItsFlagsAndItsRbacAreDocumented() throws Exception {
    String doc = Files.readString(RepoFiles.root().resolve("docs/kubectl-plugin.md"));
    String commands = doc.substring(doc.indexOf("## Commands"), doc.indexOf("## RBAC"));
    String rbac = doc.substring(doc.indexOf("## RBAC"), doc.indexOf("## Code map"));
    Map<String, CommandLine> subcommands = new CommandLine(new KubectlParallelRun()).getSubcommands();
    assertThat(subcommands).containsKey("suggest");
    for (Map.Entry<String, CommandLine> command : subcommands.entrySet()) {
      String firstColumn = "\\n\\| [^|\\n]*`" + command.getKey() + "[ `]";
      assertThat(commands).as("the command table names " + command.getKey()).containsPattern(firstColumn);
      assertThat(rbac).as("the RBAC table names " + command.getKey()).containsPattern(firstColumn);
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        if (option.usageHelp() || option.versionHelp()) continue;
        assertThat(option.names()).as(command.getKey() + "'s option is documented")
            .anyMatch(name -> Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(doc).find());
      }
    }
  }

  @Test
  void noSubcommandIsAUsageError() {
    Cli cli = Cli.run();
    assertThat(cli.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(cli.err()).contains("error: a subcommand is required");
  }

  @Test
  void anUnknownOutputFormatNamesTheFlagAndTheChoices() {
    Cli cli = Cli.run("status", "returns", "-o", "xml");
    assertThat(cli.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err()).startsWith("error: Invalid value for option '--output'").contains("table, json, yaml", "'xml'",
        "kubectl parallelrun status --help");
  }

  @Test
  void aMissingEndpointIsAUsageError() {
    Cli cli = Cli.run("approve", "returns");
    assertThat(cli.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err()).contains("ENDPOINT");
  }

  @Test
  void rollbackTakesNamesOrAllButNotBothNorNeither() throws Exception {
    Cli both = Cli.run("rollback", "returns", "get-return", "--all", "--kubeconfig", kubeconfigNobodyAnswers());
    assertThat(both.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(both.err()).contains("error: give endpoint names or --all, not both");
    Cli neither = Cli.run("rollback", "returns", "--kubeconfig", kubeconfigNobodyAnswers());
    assertThat(neither.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(neither.err()).contains("error: name the endpoints to roll back, or give --all");
  }

  @Test
  void aProxyUrlThatIsNotHttpIsRefusedNamingTheFlag() {
    Cli cli = Cli.run("diff", "returns", "get-return", "--proxy-url", "file:///etc/passwd");
    assertThat(cli.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(cli.err()).contains("--proxy-url: 'file:///etc/passwd' is not an http(s) URL");
  }

  @Test
  void limitAndAdminPortAreChecked() {
    Cli limit = Cli.run("diff", "returns", "get-return", "--limit", "0");
    assertThat(limit.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(limit.err()).startsWith("error: --limit must be at least 1, not 0");
    Cli port = Cli.run("diff", "returns", "get-return", "--admin-port", "70000");
    assertThat(port.exitCode()).isEqualTo(KubectlParallelRun.USAGE);
    assertThat(port.err()).startsWith("error: --admin-port must be 1-65535, not 70000");
  }

  @Test
  void anUnreachableApiServerIsOneLineExitOne() throws Exception {
    Cli cli = Cli.run("status", "returns", "--kubeconfig", kubeconfigNobodyAnswers());
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(KubectlParallelRun.ERROR);
    assertThat(cli.err().lines()).as(cli.toString()).hasSize(1);
    assertThat(cli.err()).startsWith("error: ").contains("127.0.0.1");
  }

  @TempDir
  Path dir;

  /** A kubeconfig whose server is a closed port on 127.0.0.1. */
  String kubeconfigNobodyAnswers() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: shop}}]
        current-context: x
        """.formatted(port));
    return file.toString();
  }
}
