package io.parallelrun.proxy.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BiConsumer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One Vert.x per test class; a fresh legacy and candidate backend on 127.0.0.1 per test; the proxy closed after it. */
abstract class ProxyTestBase {
  static Vertx vertx;
  TestBackend legacy;
  TestBackend candidate;
  ProxyFixture proxy;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** How the given side ("legacy" or "candidate") answers by default. */
  abstract BiConsumer<HttpServerRequest, Buffer> answers(String side);

  @BeforeEach
  void backends() throws Exception {
    legacy = TestBackend.start(vertx, answers("legacy"));
    candidate = TestBackend.start(vertx, answers("candidate"));
  }

  @AfterEach
  void close() throws Exception {
    if (proxy != null) proxy.close();
    legacy.close();
    candidate.close();
  }
}
