package io.parallelrun.proxy;

import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.manifest.ManifestException;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.source.KubernetesWatch;
import io.parallelrun.proxy.source.ManifestFile;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point. Standalone with {@code --manifest FILE}; in-cluster otherwise, watching the ParallelRun named by
 * env PARALLELRUN_NAME in PARALLELRUN_NAMESPACE.
 */
public final class ProxyMain {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyMain.class);

  private ProxyMain() {}

  public static void main(String[] args) {
    // Vert.x diagnostics that cost on every request; -D on the command line still wins.
    System.setProperty("vertx.disableContextTimings", System.getProperty("vertx.disableContextTimings", "true"));
    System.setProperty("vertx.threadChecks", System.getProperty("vertx.threadChecks", "false"));
    if (java.util.Arrays.asList(args).contains("--version")) {
      String version = ProxyMain.class.getPackage().getImplementationVersion();
      System.out.println("parallel-run-proxy " + (version != null ? version : "(unpackaged build)"));
      return;
    }
    ProxyOptions options;
    try {
      options = ProxyOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) System.err.println("error: " + e.getMessage());
      System.err.print(ProxyOptions.USAGE);
      System.exit("help".equals(e.getMessage()) ? 0 : 2);
      return;
    }
    try {
      run(options);
    } catch (ManifestException e) {
      LOG.error("bad manifest: {}", e.getMessage());
      System.err.println("error: bad manifest: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      LOG.error("proxy failed to start", e);
      System.err.println("error: " + e);
      System.exit(1);
    }
  }

  static void run(ProxyOptions options) throws Exception {
    boolean standalone = options.manifest() != null;
    ProxyServer server;
    KubernetesWatch watch = null;
    if (standalone) {
      server = new ProxyServer(options, BackendResolver.urlsOnly(), RouteDecider.threadLocalRandom());
      server.tables().apply(ManifestFile.read(options.manifest())); // a bad manifest stops us here
    } else {
      if (options.name() == null || options.namespace() == null) {
        throw new IllegalArgumentException(
            "no --manifest given and env PARALLELRUN_NAME / PARALLELRUN_NAMESPACE not set: nothing to proxy");
      }
      server = new ProxyServer(options, BackendResolver.withServices(options.serviceUrlTemplate()),
          RouteDecider.threadLocalRandom());
    }
    server.start();
    if (!standalone) {
      watch = KubernetesWatch.withDefaultConfig(options.namespace(), options.name(), server.tables());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesWatch w = watch;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: draining {} in-flight requests", server.drain().inFlight());
      if (w != null) w.close();
      server.drainAndStop(options.drainTimeout());
      LOG.info("stopped");
      stopped.countDown();
    }, "shutdown"));
    if (watch != null) watch.start();
    stopped.await();
  }
}
