package io.parallelrun.proxy.http;

import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.config.RoutingTable;
import io.parallelrun.proxy.routing.RouteDecider;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.function.Supplier;

/** One event loop's share of the proxy: a server (the port is shared by all instances) and its own client. */
public final class ProxyVerticle extends AbstractVerticle {
  private final String host;
  private final int port;
  private final Supplier<RoutingTable> tables;
  private final RouteDecider decider;
  private final ComparisonService comparisons;
  private final ProxySettings settings;
  private final DrainState drain;
  private HttpServer server;
  private HttpClient client;
  private HttpClient shadowClient;

  public ProxyVerticle(String host, int port, Supplier<RoutingTable> tables, RouteDecider decider,
      ComparisonService comparisons, ProxySettings settings, DrainState drain) {
    this.host = host;
    this.port = port;
    this.tables = tables;
    this.decider = decider;
    this.comparisons = comparisons;
    this.settings = settings;
    this.drain = drain;
  }

  @Override
  public void start(Promise<Void> started) {
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) settings.connectTimeoutMs())
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setForceSni(true) // https url backends behind virtual hosts
        .setDecompressionSupported(false)
        .setMaxHeaderSize(16 * 1024);
    client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.poolSize()));
    // Shadows get their own pool whose wait queue is short: when a slow side has every connection busy, a
    // shadow is shed at once (counted as dropped) instead of queueing behind the others. An unbounded queue
    // held thousands of waiting shadows, their timers and buffers, and their cost reached the clients' latency.
    shadowClient = vertx.createHttpClient(options,
        new PoolOptions().setHttp1MaxSize(settings.poolSize()).setMaxWaitQueueSize(settings.shadowWaitQueueSize()));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setHandle100ContinueAutomatically(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setMaxHeaderSize(16 * 1024));
    server.connectionHandler(conn -> {
      if (drain.draining()) conn.close(); // stop accepting while in-flight requests drain
    });
    server.requestHandler(new ProxyHandler(vertx, tables, client, shadowClient, decider, comparisons, settings, drain))
        .listen()
        .<Void>mapEmpty()
        .onComplete(started);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
