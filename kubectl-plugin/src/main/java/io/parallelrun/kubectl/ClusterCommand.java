package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the API server: connects with kubectl's flags, runs, closes the client. */
abstract class ClusterCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return cluster.withClient(client -> run(client, new Runs(client, cluster.namespace(client))));
  }

  abstract int run(KubernetesClient client, Runs runs) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
