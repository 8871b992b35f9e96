package io.parallelrun.proxy.exchange;

import io.parallelrun.proxy.routing.Route;
import io.parallelrun.proxy.routing.RouteDecision;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Mirrored exchanges of real requests: a Vert.x server on 127.0.0.1 receives each request a test sends and makes
 * it an exchange as the proxy's handler does, so that what the comparison side reads of it (method, path, query)
 * is what Vert.x parsed from the wire. One request at a time. Register it as a static JUnit extension: it starts
 * with the first request and stops after the class's tests.
 */
public final class ReceivedExchanges implements AfterAllCallback {
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private volatile Pending pending;

  private record Pending(RoutingTable table, Route route, Side answeredBy, CompletableFuture<ProxyExchange> made) {}

  private void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    server = vertx.createHttpServer().requestHandler(req -> {
      Pending p = pending;
      ProxyExchange x = new ProxyExchange(req, p.table(), p.route(), RouteDecision.of(p.answeredBy(), true));
      x.mirrored(new RequestOptions());
      p.made().complete(x);
      req.response().end();
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** @param uri the request target as sent, e.g. {@code /orders/1?token=abc} */
  public ProxyExchange mirrored(RoutingTable table, Route route, Side answeredBy, String method, String uri)
      throws Exception {
    if (vertx == null) start();
    Pending p = new Pending(table, route, answeredBy, new CompletableFuture<>());
    pending = p;
    client.request(HttpMethod.valueOf(method), server.actualPort(), "127.0.0.1", uri)
        .compose(r -> r.send().compose(HttpClientResponse::body))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return p.made().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
