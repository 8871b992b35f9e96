package io.parallelrun.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real helm binary (built from its Go module by hack/build-helm.sh). */
public final class Helm {
  public static final Path CHART = RepoFiles.root().resolve("charts/parallel-run-operator");

  private final String binary;
  private final List<String> clusterArgs;

  /** helm for what needs no cluster (template, lint). */
  public Helm() {
    this.binary = binary();
    this.clusterArgs = List.of();
  }

  /** helm against the cluster of this kubeconfig (install, upgrade, uninstall). */
  public Helm(String kubeconfigYaml) throws IOException {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    kubeconfig.toFile().deleteOnExit();
    Files.writeString(kubeconfig, kubeconfigYaml);
    this.binary = binary();
    this.clusterArgs = List.of("--kubeconfig", kubeconfig.toString());
  }

  private static String binary() {
    String fromEnv = System.getenv("HELM_BIN");
    Path cached = Path.of(System.getProperty("user.home"), ".cache/parallel-run/bin/helm");
    return fromEnv != null ? fromEnv : cached.toFile().canExecute() ? cached.toString() : "helm";
  }

  public Kubectl.Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(clusterArgs);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("helm " + String.join(" ", args) + " did not finish in 60s");
    }
    String output = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      output += new String(err, StandardCharsets.UTF_8);
    }
    return new Kubectl.Result(process.exitValue(), output);
  }

  /** helm template with --set values; returns the rendered multi-document YAML. */
  public String template(String namespace, String... sets) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("template", "parallel-run", CHART.toString(),
        "--namespace", namespace, "--include-crds"));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return run(args.toArray(String[]::new)).assertSuccess().output();
  }
}
