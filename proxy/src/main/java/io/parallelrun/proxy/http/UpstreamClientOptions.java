package io.parallelrun.proxy.http;

import io.vertx.core.http.HttpClientOptions;

/** How the proxy talks to legacy and candidate, for answers and shadows alike. */
final class UpstreamClientOptions {
  private UpstreamClientOptions() {}

  static HttpClientOptions of(ProxySettings settings) {
    return new HttpClientOptions()
        .setConnectTimeout((int) settings.connectTimeoutMs())
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setForceSni(true) // https url backends behind virtual hosts
        .setDecompressionSupported(false) // compared and relayed as sent; the comparator decodes
        .setMaxHeaderSize(16 * 1024)
        .setKeepAliveTimeout(seconds(settings.idleTimeoutMs()))
        .setHttp2KeepAliveTimeout(seconds(settings.idleTimeoutMs()));
  }

  /** Vert.x takes keep-alive timeouts in whole seconds; 0 would mean never. */
  static int seconds(long millis) {
    return (int) Math.max(1, (millis + 999) / 1000);
  }
}
