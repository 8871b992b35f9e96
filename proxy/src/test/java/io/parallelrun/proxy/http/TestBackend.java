package io.parallelrun.proxy.http;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A real HTTP backend on 127.0.0.1 with an ephemeral port, recording what it receives. */
final class TestBackend implements AutoCloseable {
  record Received(String method, String uri, MultiMap headers, Buffer body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<HttpServerRequest, Buffer> responder;
  private final HttpServer server;

  private TestBackend(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> responder) throws Exception {
    this.responder = responder;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(body -> {
          received.add(new Received(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
          this.responder.accept(req, body);
        }))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static TestBackend start(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> responder) throws Exception {
    return new TestBackend(vertx, responder);
  }

  /** Answers JSON {"side": side, "path": path} with the given status. */
  static BiConsumer<HttpServerRequest, Buffer> json(String side) {
    return (req, body) -> req.response().putHeader("Content-Type", "application/json")
        .putHeader("Date", side.equals("legacy") ? "Mon, 01 Jan 2024 00:00:00 GMT" : "Tue, 02 Jan 2024 00:00:00 GMT")
        .end("{\"path\":\"" + req.path() + "\",\"len\":" + body.length() + "}");
  }

  void respond(BiConsumer<HttpServerRequest, Buffer> responder) {
    this.responder = responder;
  }

  long shadowCount() {
    return received.stream().filter(r -> "shadow".equals(r.headers().get("X-Parallel-Run"))).count();
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
