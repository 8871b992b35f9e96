package io.parallelrun.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' legacy and candidate: answers every request with a JSON document, about 32 KB for a path ending
 * in {@code 32k} and about 1 KB otherwise, after a fixed delay (0: at once; the "slow candidate" is this with 50 ms).
 * One event loop and a timer per delayed request; HTTP/1.1, and h2c with prior knowledge on the same port. With a
 * PRICE, every item's price is that instead of 12.5: a candidate whose every answer mismatches legacy's, at one
 * field of every item.
 *
 * <pre>java -cp parallel-run-bench.jar:parallel-run-proxy.jar io.parallelrun.bench.SlowBackend PORT DELAY_MS [PRICE]</pre>
 */
public final class SlowBackend implements AutoCloseable {
  static final Buffer SMALL = Buffer.buffer(JsonItems.ofAtLeast(1024));
  static final Buffer LARGE = Buffer.buffer(JsonItems.ofAtLeast(32 * 1024));

  static final String PRICE = "12.5";

  private final Vertx vertx;
  private final HttpServer server;

  private SlowBackend(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Listens on 127.0.0.1 (port 0: any free port, see {@link #port()}) and answers after {@code delayMs}. */
  public static SlowBackend start(int port, long delayMs) throws Exception {
    return start(port, delayMs, PRICE);
  }

  /** The same, every item priced {@code price}. */
  public static SlowBackend start(int port, long delayMs, String price) throws Exception {
    if (delayMs < 0) throw new IllegalArgumentException("DELAY_MS must be 0 or more, not " + delayMs);
    if (!price.matches("[0-9]+(\\.[0-9]+)?")) throw new IllegalArgumentException("PRICE must be a decimal, not " + price);
    Buffer small = priced(SMALL, price);
    Buffer large = priced(LARGE, price);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
          .requestHandler(req -> {
            if (delayMs == 0) {
              answer(req, small, large);
            } else {
              vertx.setTimer(delayMs, t -> answer(req, small, large));
            }
          })
          .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new SlowBackend(vertx, server);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static Buffer priced(Buffer doc, String price) {
    return price.equals(PRICE) ? doc : Buffer.buffer(doc.toString().replace("\"price\": " + PRICE, "\"price\": " + price));
  }

  private static void answer(HttpServerRequest req, Buffer small, Buffer large) {
    Buffer body = req.path().endsWith("32k") ? large : small;
    req.response().putHeader("Content-Type", "application/json").end(body);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: SlowBackend PORT DELAY_MS [PRICE]");
      System.exit(2);
    }
    SlowBackend backend = start(Integer.parseInt(args[0]), Long.parseLong(args[1]), args.length == 3 ? args[2] : PRICE);
    System.out.println("slow backend on 127.0.0.1:" + backend.port() + " (+" + args[1] + " ms)");
  }
}
