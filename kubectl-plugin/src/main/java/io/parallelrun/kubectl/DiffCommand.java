package io.parallelrun.kubectl;

import io.parallelrun.api.SpecDefaults;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Not a {@link ClusterCommand}: with --proxy-url it needs no cluster at all (a standalone proxy), so it connects
 * to the API server only when it reads the pods.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "The recent mismatch samples of one endpoint, as the proxies redacted them: every proxy pod's "
        + "(read through a port-forward of the admin port; RBAC pods/portforward), or a standalone proxy's (--proxy-url).")
final class DiffCommand implements Callable<Integer> {
  static final int ADMIN_PORT = SpecDefaults.PROXY_ADMIN_PORT;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Parameters(index = "1", paramLabel = "ENDPOINT", description = "The endpoint, as in spec.endpoints[].name.")
  String endpoint;

  @Option(names = "--proxy-url", paramLabel = "URL",
      description = "A standalone proxy's admin URL, e.g. http://127.0.0.1:9901, instead of the run's pods.")
  String proxyUrl;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "Send the bearer token in FILE (the proxy's --admin-token-file), for a proxy that is not on loopback.")
  Path adminTokenFile;

  @Option(names = "--admin-port", paramLabel = "PORT", description = "The proxy pods' admin port (default: ${DEFAULT-VALUE}).")
  int adminPort = ADMIN_PORT;

  @Option(names = "--limit", paramLabel = "N", description = "Show at most the N newest samples (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  OutputOption output;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
    if (adminPort < 1 || adminPort > 65535) {
      throw new ParameterException(spec.commandLine(), "--admin-port must be 1-65535, not " + adminPort);
    }
    AdminClient admin = new AdminClient(token());
    List<String> warnings = new ArrayList<>();
    List<SampleMerge.Answer> answers;
    String run;
    if (proxyUrl != null) {
      URI base = proxyBase();
      run = name;
      answers = List.of(new SampleMerge.Answer(base.toString(), admin.mismatches(base, base.toString())));
    } else {
      Gathered gathered = cluster.withClient(client -> {
        Runs runs = new Runs(client, cluster.namespace(client));
        Runs.requireEndpoints(runs.get(name), List.of(endpoint));
        return new Gathered(runs.namespace() + "/" + name,
            new ProxyPods(client, runs.namespace(), adminPort, admin).mismatches(name, warnings));
      });
      run = gathered.run();
      answers = gathered.answers();
    }
    warnings.forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    MismatchReport report = SampleMerge.merge(run, endpoint, answers, limit);
    output.print(spec.commandLine().getOut(), report, report::toString);
    return 0;
  }

  private record Gathered(String run, List<SampleMerge.Answer> answers) {}

  private URI proxyBase() {
    URI uri;
    try {
      uri = URI.create(proxyUrl.strip());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new ParameterException(spec.commandLine(),
          "--proxy-url: '" + proxyUrl + "' is not an http(s) URL such as http://127.0.0.1:9901");
    }
    return uri;
  }

  private String token() throws IOException {
    if (adminTokenFile == null) return null;
    if (!Files.isReadable(adminTokenFile)) throw new UserError("--admin-token-file: cannot read " + adminTokenFile);
    String token = Files.readString(adminTokenFile).strip();
    if (token.isEmpty()) throw new UserError("--admin-token-file: " + adminTokenFile + " is empty");
    return token;
  }
}
