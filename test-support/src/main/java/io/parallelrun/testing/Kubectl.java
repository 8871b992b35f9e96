package io.parallelrun.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against a kubeconfig, as a user would. */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(String kubeconfigYaml) throws IOException {
    this.kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    this.kubeconfig.toFile().deleteOnExit();
    Files.writeString(kubeconfig, kubeconfigYaml);
  }

  public record Result(int exitCode, String output) {
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("kubectl failed (" + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
