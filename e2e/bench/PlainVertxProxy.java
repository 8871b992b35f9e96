import io.vertx.core.DeploymentOptions;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Baseline for the stack choice: the thinnest Vert.x reverse proxy (no routing, no mirror, no metrics).
 * java -cp parallel-run-proxy.jar PlainVertxProxy.java LISTEN_PORT UPSTREAM_PORT
 */
public class PlainVertxProxy extends AbstractVerticle {
  static int listen;
  static int upstream;

  public static void main(String[] args) throws Exception {
    listen = Integer.parseInt(args[0]);
    upstream = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
    vertx.deployVerticle(PlainVertxProxy::new, new DeploymentOptions().setInstances(2))
        .toCompletionStage().toCompletableFuture().get();
    System.out.println("plain Vert.x proxy on 127.0.0.1:" + listen + " native=" + vertx.isNativeTransportEnabled());
  }

  @Override
  public void start() {
    var client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(256));
    vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(req -> {
      req.pause();
      client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(upstream)
          .setURI(req.uri()).setHeaders(req.headers())).onSuccess(creq -> creq.send(req).onSuccess(cresp -> {
            req.response().setStatusCode(cresp.statusCode()).headers().addAll(cresp.headers());
            req.response().send(cresp);
          }).onFailure(t -> req.response().setStatusCode(502).end()))
          .onFailure(t -> req.response().setStatusCode(502).end());
    }).listen(listen, "127.0.0.1");
  }
}
