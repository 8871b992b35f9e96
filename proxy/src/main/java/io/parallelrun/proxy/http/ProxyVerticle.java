package io.parallelrun.proxy.http;

import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.routing.RoutingTable;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.Supplier;

/**
 * One client event loop's share of the proxy: a server (the port is shared by all instances), its own client for
 * the answering calls, and the {@link ShadowLane} its mirrored requests go to.
 */
public final class ProxyVerticle extends AbstractVerticle {
  private final String host;
  private final int port;
  private final Supplier<RoutingTable> tables;
  private final RouteDecider decider;
  private final ComparisonService comparisons;
  private final ProxySettings settings;
  private final DrainState drain;
  private final ShadowLane shadows;
  private HttpServer server;

  public ProxyVerticle(String host, int port, Supplier<RoutingTable> tables, RouteDecider decider,
      ComparisonService comparisons, ProxySettings settings, DrainState drain, ShadowLane shadows) {
    this.host = host;
    this.port = port;
    this.tables = tables;
    this.decider = decider;
    this.comparisons = comparisons;
    this.settings = settings;
    this.drain = drain;
    this.shadows = shadows;
  }

  @Override
  public void start(Promise<Void> started) {
    UpstreamClients clients = new UpstreamClients(vertx, settings);
    ClientDeadlines deadlines = new ClientDeadlines(vertx, settings);
    server = FirstHeadGuard.server(vertx, new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setHandle100ContinueAutomatically(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setMaxHeaderSize(16 * 1024), settings.clientHeaderTimeoutMs());
    // While draining, connections are still served, every answer with Connection: close, so a client learns to
    // reconnect (to another pod) after its answer instead of racing a close of its idle keep-alive connection with
    // its next request, a write that would then be lost. New connections still arrive while the Service's
    // endpoints catch up with the pod's termination.
    server.connectionHandler(conn -> {
      drain.connectionOpened();
      deadlines.connected(conn, drain::connectionClosed);
    });
    server.requestHandler(new ProxyHandler(tables, clients, shadows, decider, comparisons, settings, drain, deadlines))
        .listen()
        .<Void>mapEmpty()
        .onComplete(started);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
