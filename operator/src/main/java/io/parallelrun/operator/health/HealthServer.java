package io.parallelrun.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Liveness ({@code /healthz}), readiness ({@code /readyz}) and the operator's own metrics ({@code /metrics},
 * Prometheus text format) on one port.
 *
 * <p>Liveness fails only when the operator reconciles and an informer is broken (a restart helps then); a
 * standby replica waiting for the Lease is alive. Readiness means the operator has started.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param leading whether this process should be reconciling now: a standby waiting for the Lease has no running
   *     informers, which is no reason to restart it
   */
  public HealthServer(int port, RuntimeInfo runtime, BooleanSupplier leading, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "health-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/healthz", ex -> {
      boolean broken = runtime.isStarted() && leading.getAsBoolean() && !runtime.allEventSourcesAreHealthy();
      respond(ex, broken ? 503 : 200, "text/plain",
          broken ? "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n" : "ok\n");
    });
    server.createContext("/readyz", ex -> {
      boolean ready = runtime.isStarted();
      respond(ex, ready ? 200 : 503, "text/plain", ready ? "ok\n" : "starting\n");
    });
    server.createContext("/metrics", ex ->
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
