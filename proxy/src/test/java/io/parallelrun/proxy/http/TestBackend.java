package io.parallelrun.proxy.http;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** A real HTTP backend on 127.0.0.1 with an ephemeral port, recording what it receives. */
final class TestBackend implements AutoCloseable {
  record Received(String method, String uri, MultiMap headers, Buffer body, HttpVersion version) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger connectionsOpened = new AtomicInteger();
  final List<Long> connectionClosedAtNanos = new CopyOnWriteArrayList<>(); // System.nanoTime() of each close
  private volatile BiConsumer<HttpServerRequest, Buffer> responder;
  private final HttpServer server;

  private TestBackend(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> responder, boolean h2c) throws Exception {
    this.responder = responder;
    // Vert.x servers accept HTTP/1.1 and h2c with prior knowledge alike, unless h2c is turned off.
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(h2c))
        .connectionHandler(c -> {
          connectionsOpened.incrementAndGet();
          c.closeHandler(v -> connectionClosedAtNanos.add(System.nanoTime()));
        })
        .requestHandler(req -> req.body().onSuccess(body -> {
          received.add(new Received(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body,
              req.version()));
          this.responder.accept(req, body);
        }))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static TestBackend start(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> responder) throws Exception {
    return new TestBackend(vertx, responder, true);
  }

  /** A backend that speaks HTTP/1.1 only, as most servers do unless h2c is turned on. */
  static TestBackend startHttp1Only(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> responder) throws Exception {
    return new TestBackend(vertx, responder, false);
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
