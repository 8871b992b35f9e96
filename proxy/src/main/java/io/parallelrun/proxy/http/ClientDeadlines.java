package io.parallelrun.proxy.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes client connections that are too slow to send a request, so that a few hundred slow clients cannot hold
 * every connection a server can keep (slowloris). Vert.x's idle timeout does not do it: a client sending one byte
 * now and then is never idle, and an idle timeout long enough for a slow backend's answer is long enough to
 * hold a connection for minutes. So there are three deadlines, each a timer on the connection's event loop:
 *
 * <ul>
 *   <li><b>head</b>: from a new connection to the end of its first request's head (until Vert.x reports the
 *       connection, {@link FirstHeadGuard} keeps this one; from then on, over HTTP/2, this class);
 *   <li><b>idle</b>: from the end of the last response to the end of the next request's head (keep-alive);
 *   <li><b>body</b>: from the end of a request's head to the end of its body. Past it the client gets 408 and, over
 *       HTTP/1.1, the connection closes (the rest of the body could not be told from a next request); over HTTP/2
 *       the stream is reset.
 * </ul>
 *
 * None runs while the proxy waits for a backend's answer: that is bounded by the upstream timeout. A zero
 * duration turns that deadline off. One instance may serve several event loops: each connection's state is only
 * touched on its own loop, the map holding them is concurrent.
 */
public final class ClientDeadlines {
  private final Vertx vertx;
  private final long headMs;
  private final long bodyMs;
  private final long idleMs;
  private final Map<HttpConnection, Connection> connections = new ConcurrentHashMap<>();

  public ClientDeadlines(Vertx vertx, ProxySettings settings) {
    this.vertx = vertx;
    this.headMs = settings.clientHeaderTimeoutMs();
    this.bodyMs = settings.clientBodyTimeoutMs();
    this.idleMs = settings.clientIdleTimeoutMs();
  }

  /** A connection's requests in progress and its pending head or idle timer. */
  private static final class Connection {
    int active;
    long timer = -1;
  }

  /** Call from the server's connection handler: the first request's head must arrive within the head timeout. */
  public void connected(HttpConnection conn) {
    connected(conn, () -> {});
  }

  /**
   * The same, with what else must happen when the connection closes (a connection has one close handler, and
   * this takes it).
   */
  public void connected(HttpConnection conn, Runnable onClose) {
    Connection c = new Connection();
    connections.put(conn, c);
    conn.closeHandler(v -> {
      Connection gone = connections.remove(conn);
      if (gone != null) cancel(gone);
      onClose.run();
    });
    arm(conn, c, headMs);
  }

  /**
   * Call first thing in the request handler: its head has arrived; now its body must, within the body timeout.
   *
   * @return the body timer, to hand to {@link #responseEnded}
   */
  public long requestStarted(HttpServerRequest req) {
    Connection c = connections.get(req.connection());
    if (c == null) return -1;
    c.active++;
    cancel(c);
    // Over HTTP/1.1 a request without Content-Length or Transfer-Encoding has no body; over HTTP/2 only the stream
    // end tells.
    boolean body = req.version() == HttpVersion.HTTP_2 || Headers.hasBody(req.headers());
    return bodyMs > 0 && body && !req.isEnded() ? vertx.setTimer(bodyMs, t -> bodyTooSlow(req)) : -1;
  }

  /**
   * Call when the response has ended (or its connection closed first): with nothing else in progress on the
   * connection, the idle deadline starts.
   */
  public void responseEnded(HttpServerRequest req, long bodyTimer) {
    if (bodyTimer >= 0) vertx.cancelTimer(bodyTimer);
    Connection c = connections.get(req.connection());
    if (c == null) return;
    if (--c.active == 0) arm(req.connection(), c, idleMs);
  }

  private void arm(HttpConnection conn, Connection c, long ms) {
    if (ms <= 0) return;
    c.timer = vertx.setTimer(ms, t -> {
      c.timer = -1;
      if (c.active == 0) conn.close();
    });
  }

  private void cancel(Connection c) {
    if (c.timer >= 0) vertx.cancelTimer(c.timer);
    c.timer = -1;
  }

  private void bodyTooSlow(HttpServerRequest req) {
    if (req.isEnded()) return;
    HttpServerResponse resp = req.response();
    boolean http1 = req.version() != HttpVersion.HTTP_2;
    if (resp.ended() || resp.closed()) {
      if (http1) req.connection().close();
      return;
    }
    if (resp.headWritten()) { // an answer is under way: it cannot become a 408
      if (http1) req.connection().close(); else resp.reset();
      return;
    }
    resp.setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain");
    if (http1) resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    resp.end("request timeout: the request body did not arrive within " + bodyMs + " ms\n")
        .onComplete(v -> {
          // HTTP/1.1: the rest of the body could not be told from a next request. HTTP/2: NO_ERROR tells the client
          // to stop sending (RFC 9113 8.1) and closes the stream, on which the handler returns what it held.
          if (http1) req.connection().close(); else resp.reset(0);
        });
  }
}
