package io.parallelrun.proxy.admin;

import io.parallelrun.proxy.http.ClientDeadlines;
import io.parallelrun.proxy.http.DrainState;
import io.parallelrun.proxy.http.FirstHeadGuard;
import io.parallelrun.proxy.http.ProxySettings;
import io.parallelrun.proxy.metrics.ProxyMetrics;
import io.parallelrun.proxy.mismatch.MismatchStore;
import io.parallelrun.proxy.routing.RoutingTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The admin port: /metrics (Prometheus text), /mismatches (JSON, only for {@link AdminAccess}), /healthz and
 * /readyz. It shares the client Vert.x, so whatever costs more than a few microseconds runs on a worker thread.
 */
public final class AdminServer {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ProxyMetrics metrics;
  private final MismatchStore mismatches;
  private final Supplier<RoutingTable> tables;
  private final DrainState drain;
  private final AdminAccess access;
  private final long maxMismatchesBytes;
  private final ProxySettings settings;
  private final ClientDeadlines deadlines;
  private HttpServer server;

  /**
   * @param maxMismatchesBytes about the longest /mismatches answer; older samples are left out beyond it
   * @param settings the client timeouts: slow clients are closed here as on the proxy port
   */
  public AdminServer(Vertx vertx, ProxyMetrics metrics, MismatchStore mismatches, Supplier<RoutingTable> tables,
      DrainState drain, AdminAccess access, long maxMismatchesBytes, ProxySettings settings) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.mismatches = mismatches;
    this.tables = tables;
    this.drain = drain;
    this.access = access;
    this.maxMismatchesBytes = maxMismatchesBytes;
    this.settings = settings;
    this.deadlines = new ClientDeadlines(vertx, settings);
  }

  public Future<Integer> listen(String host, int port) {
    server = FirstHeadGuard.server(vertx, new HttpServerOptions().setHost(host).setPort(port).setReuseAddress(true),
        settings.clientHeaderTimeoutMs());
    return server.connectionHandler(deadlines::connected).requestHandler(this::handle).listen()
        .map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest req) {
    long bodyTimer = deadlines.requestStarted(req);
    req.response().endHandler(v -> deadlines.responseEnded(req, bodyTimer));
    String path = req.path() == null ? "" : req.path();
    switch (path) {
      case "/metrics" -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
        if (ar.succeeded()) {
          req.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
        } else {
          req.response().setStatusCode(500).end(String.valueOf(ar.cause()));
        }
      });
      case "/mismatches" -> {
        if (!access.allows(req)) {
          req.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
              .end(access.refusal(path));
          return;
        }
        // Joining and encoding megabytes of samples would hold up every client connection on this event loop.
        vertx.executeBlocking(() -> Buffer.buffer(mismatches.render(maxMismatchesBytes)), false).onComplete(ar -> {
          if (ar.succeeded()) {
            req.response().putHeader("Content-Type", "application/json").end(ar.result());
          } else {
            req.response().setStatusCode(500).end(String.valueOf(ar.cause()));
          }
        });
      }
      case "/healthz" -> req.response().end("ok\n");
      case "/readyz" -> {
        if (drain.draining()) {
          req.response().setStatusCode(503).end("draining\n");
        } else if (tables.get() == null) {
          req.response().setStatusCode(503).end("no configuration loaded yet\n");
        } else {
          req.response().end("ready\n");
        }
      }
      default -> req.response().setStatusCode(404).end("not found: try /metrics, /mismatches, /healthz, /readyz\n");
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
