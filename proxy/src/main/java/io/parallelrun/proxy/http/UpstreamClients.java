package io.parallelrun.proxy.http;

import io.parallelrun.proxy.routing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

/**
 * One event loop's clients to the backends: an HTTP/1.1 client, and an HTTP/2 client for backends whose
 * protocol is HTTP2. A Vert.x client speaks one protocol (h2c with prior knowledge cannot fall back per
 * request), so each protocol has its own; neither opens a connection before it is used.
 */
final class UpstreamClients {
  private final HttpClient http1;
  private final HttpClient http2;

  /**
   * A client event loop's clients, for answers: idle connections close after {@code --idle-timeout}.
   */
  UpstreamClients(Vertx vertx, ProxySettings settings) {
    PoolOptions pool = pool(settings, -1);
    http1 = vertx.createHttpClient(UpstreamClientOptions.of(settings), pool);
    http2 = vertx.createHttpClient(http2Options(settings), pool);
  }

  /**
   * A shadow lane's clients. Its HTTP/1.1 connections, which a slow candidate makes numerous, are closed by
   * {@code reaper} a few at a time; the client's own keep-alive timeout, three times longer, is only a backstop.
   *
   * @param waitQueueSize requests that may wait for a connection (or, over HTTP/2, a stream) per backend
   */
  UpstreamClients(Vertx vertx, ProxySettings settings, int waitQueueSize, IdleConnectionReaper reaper) {
    PoolOptions pool = pool(settings, waitQueueSize);
    http1 = vertx.httpClientBuilder()
        .with(UpstreamClientOptions.of(settings)
            .setKeepAliveTimeout(3 * UpstreamClientOptions.seconds(settings.shadowIdleTimeoutMs())))
        .with(pool)
        .withConnectHandler(reaper::opened)
        .build();
    http2 = vertx.createHttpClient(http2Options(settings), pool);
  }

  private static PoolOptions pool(ProxySettings settings, int waitQueueSize) {
    return new PoolOptions()
        .setHttp1MaxSize(settings.poolSize())
        .setHttp2MaxSize(settings.http2PoolSize())
        .setMaxWaitQueueSize(waitQueueSize);
  }

  private static HttpClientOptions http2Options(ProxySettings settings) {
    return UpstreamClientOptions.of(settings)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false) // prior knowledge: no HTTP/1.1 upgrade round trip, no 'Upgrade' header
        .setUseAlpn(true) // https: h2 if the server offers it, else HTTP/1.1
        // Hundreds of streams share a connection; the default 64 KiB connection window would make 32 KiB
        // answers wait for one another's WINDOW_UPDATE.
        .setHttp2ConnectionWindowSize(8 * 1024 * 1024);
  }

  HttpClient of(Backend backend) {
    return backend.http2() ? http2 : http1;
  }
}
