package io.parallelrun.operator.health;

import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Liveness ({@code /healthz}), readiness ({@code /readyz}) and the operator's own metrics ({@code /metrics},
 * Prometheus text format) on one port.
 *
 * <p>Liveness fails only when the operator reconciles and an informer is broken (a restart helps then); a
 * standby replica waiting for the Lease is alive. Readiness means the operator has started.
 *
 * <p>Anything in the cluster network may connect to this port, and the kubelet restarts the operator when
 * {@code /healthz} does not answer. The server is therefore non-blocking (Vert.x): a stalled or slow
 * connection holds no thread, and one that sends nothing for {@link #IDLE_TIMEOUT} is closed. The JDK's
 * single-threaded HttpServer used before was held by one half-sent request, and the probe timed out.
 */
public final class HealthServer implements AutoCloseable {
  /** Probes and scrapes send their request at once; a connection silent this long is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration START_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final HttpServer server;
  private final int requestedPort;

  /**
   * @param leading whether this process should be reconciling now: a standby waiting for the Lease has no running
   *     informers, which is no reason to restart it
   */
  public HealthServer(int port, RuntimeInfo runtime, BooleanSupplier leading, PrometheusMeterRegistry registry) {
    this.requestedPort = port;
    // Two event loops and two workers (for the metrics scrape) are plenty for probes and one scraper.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2).setInternalBlockingPoolSize(1));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxInitialLineLength(1024)
        .setMaxHeaderSize(8192));
    server.requestHandler(request -> {
      switch (request.path()) {
        case "/healthz" -> {
          boolean broken = runtime.isStarted() && leading.getAsBoolean() && !runtime.allEventSourcesAreHealthy();
          respond(request, broken ? 503 : 200, "text/plain",
              broken ? "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n" : "ok\n");
        }
        case "/readyz" -> {
          boolean ready = runtime.isStarted();
          respond(request, ready ? 200 : 503, "text/plain", ready ? "ok\n" : "starting\n");
        }
        // A scrape walks every meter: off the event loop, so that probes never wait behind it.
        case "/metrics" -> vertx.executeBlocking((Callable<String>) registry::scrape, false).onComplete(scrape -> {
          if (scrape.succeeded()) {
            respond(request, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.result());
          } else {
            respond(request, 500, "text/plain", "scrape failed\n");
          }
        });
        default -> respond(request, 404, "text/plain", "not found\n");
      }
    });
  }

  public HealthServer start() throws IOException {
    try {
      server.listen(requestedPort).toCompletionStage().toCompletableFuture()
          .get(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close();
      throw new IOException("cannot serve health on port " + requestedPort + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      close();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      throw new IOException("health server on port " + requestedPort + " did not start", e);
    }
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  private static void respond(HttpServerRequest request, int status, String contentType, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // closing on shutdown: nothing left to do about it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
