package io.parallelrun.proxy;

import io.parallelrun.api.Durations;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.proxy.admin.AdminAccess;
import io.parallelrun.proxy.http.ProxySettings;
import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.metrics.MismatchFieldCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Command line and environment. Every flag {@code --some-flag} can also be given as env
 * {@code PARALLELRUN_SOME_FLAG}; the flag wins.
 */
public record ProxyOptions(
    Path manifest,
    HostPort listen,
    HostPort admin,
    ProxySettings settings,
    int compareThreads,
    int samplesPerEndpoint,
    double mismatchLogsPerSecond,
    Duration drainTimeout,
    int eventLoops,
    int shadowEventLoops,
    String name,
    String namespace,
    String serviceUrlTemplate,
    AdminAccess adminAccess,
    int maxSampleBytes,
    int maxMismatchesBytes,
    int mismatchFieldsPerEndpoint) {

  public record HostPort(String host, int port) {
    static HostPort parse(String flag, String text) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) throw new IllegalArgumentException(flag + ": '" + text + "' is not HOST:PORT");
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port < 0 || port > 65535) throw new NumberFormatException();
        return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + text + "' has no valid port");
      }
    }
  }

  public static final String USAGE = """
      Usage: java -jar parallel-run-proxy.jar [--manifest FILE] [options]

        --manifest FILE                  standalone: a ParallelRun manifest with url backends
                                         (without it: in-cluster, env PARALLELRUN_NAME and PARALLELRUN_NAMESPACE)
        --listen HOST:PORT               client traffic (default 0.0.0.0:8080)
        --admin HOST:PORT                /metrics, /mismatches, /healthz, /readyz (default 0.0.0.0:9901)
        --max-body-bytes N               bodies buffered and compared up to this size (default 1048576)
        --max-in-flight-comparisons N    shadow calls and comparisons in flight (default 1000)
        --shadow-timeout DURATION        shadow call time limit (default 2s)
        --connect-timeout DURATION       backend connect time limit (default 2s)
        --upstream-timeout DURATION      answering call idle time limit (default 60s)
        --pool-size N                    connections per backend, per event loop for answers and per shadow lane
                                         for shadows (as many shadows may wait, more are shed) (default 1024)
        --http2-pool-size N              the same for backends with protocol HTTP2, each connection carrying as
                                         many requests at once as the server allows (default 16)
        --idle-timeout DURATION          a backend connection unused this long is closed; shadow connections over
                                         HTTP/1.1 a few at a time, after this plus the shadow timeout (default 60s)
        --client-header-timeout DURATION a client connection (proxy and admin port) whose first request head is
                                         not complete by then is closed; 0 = no limit (default 10s)
        --client-body-timeout DURATION   a request body not complete this long after its head: 408, connection
                                         closed; 0 = no limit (default 30s)
        --client-idle-timeout DURATION   a client connection with no request in progress and no complete new
                                         request head for this long is closed; 0 = no limit (default 60s)
        --event-loops N                  event loop threads for client traffic (default: CPU count)
        --shadow-event-loops N           event loop threads for shadow calls, at low priority; at most one per
                                         event loop is used (default: CPU count)
        --compare-threads N              comparison threads (default: max(1, CPUs/2))
        --samples-per-endpoint N         mismatch samples kept per endpoint (default 20)
        --mismatch-logs-per-second N     mismatch log lines per second at most (default 5)
        --drain-timeout DURATION         on SIGTERM, longest wait for in-flight requests (default 30s)
        --admin-token-file FILE          /mismatches also answers requests with Authorization: Bearer <the
                                         file's content>; without it only loopback (kubectl port-forward)
        --max-sample-bytes N             longest mismatch sample kept; a longer diff loses its values
                                         (default 65536)
        --max-mismatches-bytes N         longest /mismatches answer; older samples are left out (default 4194304)
        --mismatch-fields-per-endpoint N fields with a parallelrun_mismatch_fields_total series of their own per
                                         endpoint, the first seen; later ones count as field="other"; 0 = off
                                         (default 20)
        --help                           this text
        --version                        the proxy's version

      Every flag can be set as env PARALLELRUN_<FLAG> too, e.g. PARALLELRUN_SHADOW_TIMEOUT=500ms.
      PARALLELRUN_SERVICE_URL_TEMPLATE maps service backends to URLs (default %s).
      """.formatted(BackendResolver.DEFAULT_TEMPLATE);

  public static ProxyOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) throw new IllegalArgumentException("help");
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
      String key;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        key = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        key = a.substring(2);
        if (i + 1 >= args.length) throw new IllegalArgumentException(a + ": needs a value");
        value = args[++i];
      }
      flags.put(key, value);
    }
    Function<String, String> get = key -> {
      String v = flags.remove(key);
      if (v != null) return v;
      return env.get("PARALLELRUN_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    };
    int cpus = Runtime.getRuntime().availableProcessors();
    String manifest = flags.remove("manifest");
    HostPort listen = HostPort.parse("--listen", orDefault(get.apply("listen"), "0.0.0.0:8080"));
    HostPort admin = HostPort.parse("--admin", orDefault(get.apply("admin"), "0.0.0.0:" + SpecDefaults.PROXY_ADMIN_PORT));
    ProxySettings d = ProxySettings.defaults();
    ProxySettings settings = new ProxySettings(
        intValue("--max-body-bytes", get.apply("max-body-bytes"), d.maxBodyBytes(), 0),
        intValue("--max-in-flight-comparisons", get.apply("max-in-flight-comparisons"), d.maxInFlightComparisons(), 0),
        millis("--shadow-timeout", get.apply("shadow-timeout"), d.shadowTimeoutMs()),
        millis("--connect-timeout", get.apply("connect-timeout"), d.connectTimeoutMs()),
        millis("--upstream-timeout", get.apply("upstream-timeout"), d.upstreamIdleTimeoutMs()),
        intValue("--pool-size", get.apply("pool-size"), d.poolSize(), 1),
        intValue("--http2-pool-size", get.apply("http2-pool-size"), d.http2PoolSize(), 1),
        millis("--idle-timeout", get.apply("idle-timeout"), d.idleTimeoutMs()),
        millis("--client-header-timeout", get.apply("client-header-timeout"), d.clientHeaderTimeoutMs()),
        millis("--client-body-timeout", get.apply("client-body-timeout"), d.clientBodyTimeoutMs()),
        millis("--client-idle-timeout", get.apply("client-idle-timeout"), d.clientIdleTimeoutMs()));
    ProxyOptions o = new ProxyOptions(
        manifest == null ? null : Path.of(manifest),
        listen,
        admin,
        settings,
        intValue("--compare-threads", get.apply("compare-threads"), Math.max(1, cpus / 2), 1),
        intValue("--samples-per-endpoint", get.apply("samples-per-endpoint"), 20, 0),
        intValue("--mismatch-logs-per-second", get.apply("mismatch-logs-per-second"), 5, 0),
        Duration.ofMillis(millis("--drain-timeout", get.apply("drain-timeout"), 30_000)),
        intValue("--event-loops", get.apply("event-loops"), cpus, 1),
        intValue("--shadow-event-loops", get.apply("shadow-event-loops"), cpus, 1),
        env.get("PARALLELRUN_NAME"),
        env.get("PARALLELRUN_NAMESPACE"),
        env.getOrDefault("PARALLELRUN_SERVICE_URL_TEMPLATE", BackendResolver.DEFAULT_TEMPLATE),
        adminAccess(get.apply("admin-token-file")),
        intValue("--max-sample-bytes", get.apply("max-sample-bytes"), 64 * 1024, 1024),
        intValue("--max-mismatches-bytes", get.apply("max-mismatches-bytes"), 4 * 1024 * 1024, 1024),
        intValue("--mismatch-fields-per-endpoint", get.apply("mismatch-fields-per-endpoint"),
            MismatchFieldCounts.DEFAULT_PER_ENDPOINT, 0));
    if (!flags.isEmpty()) throw new IllegalArgumentException("unknown option --" + flags.keySet().iterator().next());
    return o;
  }

  private static AdminAccess adminAccess(String file) {
    return file == null || file.isBlank() ? AdminAccess.loopbackOnly()
        : AdminAccess.tokenFile("--admin-token-file", Path.of(file.trim()));
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v;
  }

  private static int intValue(String flag, String v, int d, int min) {
    if (v == null || v.isBlank()) return d;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' must be a whole number >= " + min);
    }
  }

  private static long millis(String flag, String v, long d) {
    return v == null || v.isBlank() ? d : Durations.ofFlag(flag, v).toMillis();
  }
}
