package io.parallelrun.proxy;

import io.parallelrun.proxy.admin.AdminServer;
import io.parallelrun.proxy.compare.BodyDecoder;
import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.compare.ResponseComparator;
import io.parallelrun.proxy.http.DrainState;
import io.parallelrun.proxy.http.ProxyVerticle;
import io.parallelrun.proxy.http.ShadowLane;
import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.manifest.RoutingTableFactory;
import io.parallelrun.proxy.metrics.ProxyMetrics;
import io.parallelrun.proxy.mismatch.MismatchRecorder;
import io.parallelrun.proxy.mismatch.MismatchStore;
import io.parallelrun.proxy.mismatch.RateLimiter;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.source.TableHolder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the proxy together and owns its lifecycle: start, drain, stop. */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final ProxyOptions options;
  private final ProxyMetrics metrics;
  private final MismatchStore mismatches;
  private final TableHolder tables;
  private final ComparisonService comparisons;
  private final DrainState drain = new DrainState();
  private final RouteDecider decider;
  private Vertx vertx;
  private Vertx shadowVertx;
  private AdminServer admin;
  private int port;
  private int adminPort;

  public ProxyServer(ProxyOptions options, BackendResolver backends, RouteDecider decider) {
    this.options = options;
    this.decider = decider;
    this.metrics = new ProxyMetrics(options.mismatchFieldsPerEndpoint());
    this.mismatches = new MismatchStore(options.samplesPerEndpoint());
    this.tables = new TableHolder(new RoutingTableFactory(backends, metrics));
    this.comparisons = new ComparisonService(
        new ResponseComparator(new BodyDecoder(options.settings().maxBodyBytes() * 16)),
        new MismatchRecorder(mismatches, new RateLimiter(options.mismatchLogsPerSecond(), System::nanoTime),
            options.maxSampleBytes()),
        options.settings().maxInFlightComparisons(), options.compareThreads());
  }

  public TableHolder tables() {
    return tables;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public ComparisonService comparisons() {
    return comparisons;
  }

  public DrainState drain() {
    return drain;
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  /** Starts the admin port and one proxy verticle per event loop; blocks until both listen. */
  public ProxyServer start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()).setPreferNativeTransport(true));
    admin = new AdminServer(vertx, metrics, mismatches, tables, drain, options.adminAccess(),
        options.maxMismatchesBytes(), options.settings());
    adminPort = admin.listen(options.admin().host(), options.admin().port())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // The shadow lanes: event loops of their own, so that shadow work can yield the CPU to client traffic. Each
    // client loop hands its shadows to one lane, so lanes beyond the client loops would only idle.
    int laneCount = shadowLaneCount(options);
    shadowVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(laneCount)
        .setWorkerPoolSize(1).setInternalBlockingPoolSize(1).setPreferNativeTransport(true));
    List<ShadowLane> lanes = new CopyOnWriteArrayList<>();
    shadowVertx.deployVerticle(() -> {
      ShadowLane lane = new ShadowLane(comparisons, options.settings());
      lanes.add(lane);
      return lane;
    }, new DeploymentOptions().setInstances(laneCount))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // Vert.x shares one listening socket among the instances; a negative port is its "random port, shared".
    List<ProxyVerticle> deployed = new CopyOnWriteArrayList<>();
    int requested = options.listen().port() == 0 ? -1 : options.listen().port();
    AtomicInteger next = new AtomicInteger();
    vertx.deployVerticle(() -> {
      ProxyVerticle v = verticle(requested, lanes.get(next.getAndIncrement() % lanes.size()));
      deployed.add(v);
      return v;
    }, new DeploymentOptions().setInstances(options.eventLoops()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = deployed.get(0).actualPort();
    for (ProxyVerticle v : deployed) {
      if (v.actualPort() != port) throw new IllegalStateException("proxy instances listen on different ports");
    }
    LOG.info("proxy listening on {}:{}, admin on {}:{}", options.listen().host(), port, options.admin().host(), adminPort);
    return this;
  }

  private ProxyVerticle verticle(int p, ShadowLane lane) {
    return new ProxyVerticle(options.listen().host(), p, tables, decider, comparisons,
        options.settings(), drain, lane);
  }

  /** Shadow lanes actually used: one per client event loop at most. */
  static int shadowLaneCount(ProxyOptions options) {
    return Math.min(options.eventLoops(), options.shadowEventLoops());
  }

  /** Stops accepting connections, waits for in-flight requests (up to the drain timeout), then stops. */
  /** How long a drain waits for clients with open connections that send nothing. */
  static final Duration DRAIN_IDLE_GRACE = Duration.ofSeconds(5);

  public void drainAndStop(Duration timeout) {
    drain.startDraining();
    long deadline = System.nanoTime() + timeout.toNanos();
    // Until every client has had its last answer (with Connection: close) and gone, or the timeout: an idle
    // keep-alive connection closed by the proxy can cross a request its client is sending at that moment. A
    // client that has sent nothing for DRAIN_IDLE_GRACE is not waited for: it is not using the connection.
    long idleGraceEnds = System.nanoTime() + DRAIN_IDLE_GRACE.toNanos();
    while ((drain.inFlight() > 0 || (drain.openConnections() > 0 && System.nanoTime() < idleGraceEnds))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (drain.inFlight() > 0) LOG.warn("{} requests still in flight after {}; stopping anyway", drain.inFlight(), timeout);
    if (drain.openConnections() > 0) LOG.info("closing {} idle client connections after {}", drain.openConnections(), timeout);
    close();
  }

  @Override
  public void close() {
    drain.startDraining();
    stop(vertx, "clients");
    vertx = null;
    stop(shadowVertx, "shadow lanes"); // after the clients' loops, which hand work to the lanes
    shadowVertx = null;
    comparisons.close();
  }

  private static void stop(Vertx instance, String name) {
    if (instance == null) return;
    try {
      instance.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping Vert.x ({}): {}", name, e.toString());
    }
  }
}
