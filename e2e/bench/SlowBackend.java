import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A candidate that answers like the nginx backends but only after a delay (benchmark "slow candidate").
 * Run with the proxy jar on the class path: java -cp parallel-run-proxy.jar SlowBackend.java PORT DELAY_MS DIR
 */
public class SlowBackend {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long delay = Long.parseLong(args[1]);
    Path dir = Path.of(args[2]);
    Buffer small = Buffer.buffer(Files.readAllBytes(dir.resolve("items/1k")));
    Buffer large = Buffer.buffer(Files.readAllBytes(dir.resolve("items/32k")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertx.createHttpServer().requestHandler(req -> {
      Buffer body = req.path().endsWith("32k") ? large : small;
      if (delay <= 0) {
        req.response().putHeader("Content-Type", "application/json").end(body);
      } else {
        vertx.setTimer(delay, t -> req.response().putHeader("Content-Type", "application/json").end(body));
      }
    }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    System.out.println("slow backend on 127.0.0.1:" + port + " (+" + delay + " ms)");
  }
}
