package io.parallelrun.proxy.http;

import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.compare.ResponseSnapshot;
import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.proxy.exchange.ProxyExchange;
import io.parallelrun.proxy.metrics.EndpointMetrics;
import io.parallelrun.proxy.routing.Backend;
import io.parallelrun.proxy.routing.Route;
import io.parallelrun.proxy.routing.RouteDecider;
import io.parallelrun.proxy.routing.RouteDecision;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Handles one client request on the event loop: match the endpoint, decide who answers, stream the answer
 * back, and when the endpoint is mirrored hand the same request to a {@link ShadowLane} for the other side.
 * The client's response never waits for the shadow; the two answers meet on the lane.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  private final Supplier<RoutingTable> tables;
  private final UpstreamClients clients;
  private final ShadowLane shadows;
  private final RouteDecider decider;
  private final ComparisonService comparisons;
  private final ProxySettings settings;
  private final DrainState drain;
  private final ClientDeadlines deadlines;

  ProxyHandler(Supplier<RoutingTable> tables, UpstreamClients clients, ShadowLane shadows, RouteDecider decider,
      ComparisonService comparisons, ProxySettings settings, DrainState drain, ClientDeadlines deadlines) {
    this.tables = tables;
    this.clients = clients;
    this.shadows = shadows;
    this.decider = decider;
    this.comparisons = comparisons;
    this.settings = settings;
    this.drain = drain;
    this.deadlines = deadlines;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    drain.started();
    long bodyTimer = deadlines.requestStarted(req);
    resp.endHandler(v -> { // Vert.x also calls it when the connection closes first
      drain.finished();
      deadlines.responseEnded(req, bodyTimer);
    });
    if (drain.draining()) {
      // HTTP/2 forbids Connection headers: an h2 connection is closed, with GOAWAY, when the drain ends, and a
      // stream its client opens after that GOAWAY is one the client may safely send again elsewhere.
      if (req.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
        resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        // Vert.x keeps an HTTP/1.1 connection open whatever the response says; once this answer is on the wire
        // the client has been told, so the connection goes.
        resp.bodyEndHandler(v -> req.connection().close());
      }
    }
    String refused = refusal(req);
    if (refused != null) {
      badRequest(req, refused);
      return;
    }

    RoutingTable table = tables.get();
    if (table == null) {
      resp.setStatusCode(503).end("no configuration loaded yet\n");
      return;
    }
    String path = req.path();
    Route route = path == null ? null : table.match(req.method().name(), path);
    // A request that matches no endpoint goes to legacy and is counted, not compared, under "unmatched".
    RouteDecision decision = route == null ? RouteDecision.LEGACY_ONLY
        : decider.decide(route.weight(), route.endpoint().mirror(), route.endpoint().mirrorPercent());
    ProxyExchange x = new ProxyExchange(req, table, route, decision);
    x.metrics().answered(x.answerSide());
    if (!decision.shadow()) {
      forward(x, x.answerSide());
      return;
    }
    if (Headers.contentLength(req.headers()) > settings.maxBodyBytes()) {
      x.metrics().comparison(ComparisonResult.skipped);
      forward(x, x.answerSide());
      return;
    }
    // The in-flight bound is checked before any body is buffered: a shadow that would be dropped anyway must
    // not hold the client's body in memory first.
    if (!comparisons.tryAcquire()) {
      x.metrics().shadowDropped(DropReason.in_flight_limit);
      forward(x, x.answerSide());
      return;
    }
    if (!Headers.hasBody(req.headers())) {
      x.bodyComplete(null);
      mirror(x);
      return;
    }
    readBody(x);
  }

  /**
   * Buffers the request body up to the limit, holding an in-flight permit; past the limit, what was read is sent
   * ahead, the rest streams, and the permit is returned. The buffer grows as bytes arrive, never from the declared
   * Content-Length: a client may declare a megabyte and send nothing, on as many connections as it likes.
   */
  private void readBody(ProxyExchange x) {
    HttpServerRequest req = x.request();
    Buffer body = Buffer.buffer();
    x.holdsPermit(true);
    // The client may go before its body is complete (or be cut off by the body timeout): the permit goes back.
    // forward() sets its own close handler once the body is complete or overflowed.
    req.response().closeHandler(v -> releasePermit(x));
    req.exceptionHandler(t -> releasePermit(x)); // an HTTP/2 stream reset while the body is read
    req.handler(chunk -> {
      if (!x.holdsPermit()) return;
      if (body.length() + chunk.length() > settings.maxBodyBytes()) {
        releasePermit(x);
        req.pause();
        req.handler(null);
        req.endHandler(null);
        body.appendBuffer(chunk);
        x.bodyOverflowed(body);
        x.metrics().comparison(ComparisonResult.skipped);
        forward(x, x.answerSide());
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (!x.holdsPermit()) return;
      x.holdsPermit(false); // handed on to the mirror
      x.bodyComplete(body);
      mirror(x);
    });
  }

  private void releasePermit(ProxyExchange x) {
    if (x.holdsPermit()) {
      x.holdsPermit(false);
      comparisons.release();
    }
  }

  /**
   * Sends the answering call and hands the shadow to the lane; the caller holds an in-flight permit for it, and
   * the whole request body is at hand.
   */
  private void mirror(ProxyExchange x) {
    Future<SideOutcome> answered;
    try {
      x.mirrored(options(x.request(), x.table().backend(x.shadowSide()), true));
      answered = forward(x, x.answerSide());
    } catch (RuntimeException e) {
      comparisons.release(); // never leak the in-flight permit
      throw e;
    }
    shadows.mirror(x, answered);
  }

  /**
   * Sends the request to {@code side} and streams its response to the client: the body the exchange holds
   * ({@link ProxyExchange#bodyComplete whole}, or read so far and then streamed), or else the client's, streamed.
   * The answer is kept for comparison when the exchange is mirrored. When the candidate answers, legacy is the
   * fallback: a client must never see an error the candidate caused (see {@link #fallBackToLegacy}).
   */
  private Future<SideOutcome> forward(ProxyExchange x, Side side) {
    HttpServerRequest req = x.request();
    Promise<SideOutcome> outcome = Promise.promise();
    HttpServerResponse resp = req.response();
    boolean fallback = side == Side.candidate;
    if (!x.bodyComplete() && x.body() == null) req.pause();
    Backend backend = x.table().backend(side);
    RequestOptions opts = options(req, backend, false);
    long start = System.nanoTime();
    clients.of(backend).request(opts).onComplete(ar -> {
      if (ar.failed()) {
        // No connection: the request never left, so legacy may answer it whatever the method.
        if (fallback) {
          fallBackToLegacy(x);
        } else {
          badGateway(req);
        }
        outcome.tryComplete(new SideOutcome.Failed(ar.cause().toString()));
        return;
      }
      HttpClientRequest creq = ar.result();
      // The compared latency starts here, with a connection in hand, as the shadow's does on its lane: waiting for
      // a pooled connection is the proxy's cost, not the backend's.
      long sentAt = System.nanoTime();
      resp.closeHandler(v -> {
        creq.reset();
        outcome.tryComplete(new SideOutcome.Failed("client closed the connection"));
      });
      Future<HttpClientResponse> sent;
      if (x.bodyComplete()) {
        sent = x.body() == null ? creq.send() : creq.send(x.body());
      } else if (x.body() != null) {
        if (!creq.headers().contains(HttpHeaders.CONTENT_LENGTH)) creq.setChunked(true);
        creq.write(x.body());
        req.pipeTo(creq);
        sent = creq.response();
      } else if (Headers.hasBody(req.headers())) {
        if (!creq.headers().contains(HttpHeaders.CONTENT_LENGTH)) creq.setChunked(true);
        sent = creq.send(req);
      } else {
        req.resume();
        sent = creq.send();
      }
      sent.onComplete(rar -> {
        if (rar.failed()) {
          // Sent, but no answer began: only a safe method with the whole request at hand may be sent again.
          if (fallback && isSafe(req) && (x.bodyComplete() || !Headers.hasBody(req.headers()))
              && !req.response().headWritten()) {
            fallBackToLegacy(x);
          } else {
            badGateway(req);
          }
          outcome.tryComplete(new SideOutcome.Failed(rar.cause().toString()));
        } else {
          relay(x, side, rar.result(), start, sentAt, outcome);
        }
      });
    });
    return outcome.future();
  }

  /**
   * The candidate was to answer but failed before its answer began (refused, reset, no response head): legacy
   * answers instead, as it would without the proxy. For a mirrored endpoint legacy is also receiving the shadow
   * copy; the comparison still counts the candidate's failure.
   */
  private void fallBackToLegacy(ProxyExchange x) {
    x.metrics().fellBackToLegacy();
    forward(x, Side.legacy);
  }

  private static boolean isSafe(HttpServerRequest req) {
    return switch (req.method().name()) {
      case "GET", "HEAD", "OPTIONS" -> true;
      default -> false;
    };
  }

  /**
   * @param start when the call was asked of the pool (the upstream latency)
   * @param sentAt when it went out on its connection (the compared latency, see {@link ProxyExchange#answerTook})
   */
  private void relay(ProxyExchange x, Side side, HttpClientResponse cresp, long start, long sentAt,
      Promise<SideOutcome> outcome) {
    HttpServerRequest req = x.request();
    HttpServerResponse resp = req.response();
    boolean capture = x.captures(side);
    if (resp.closed() || resp.ended()) {
      cresp.request().reset();
      outcome.tryComplete(new SideOutcome.Failed("client closed the connection"));
      return;
    }
    resp.setStatusCode(cresp.statusCode());
    resp.setStatusMessage(cresp.statusMessage());
    Headers.copyResponse(cresp.headers(), resp.headers());
    if (drain.draining() && req.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      resp.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE); // copyResponse dropped the one set above
    }
    if (!cresp.headers().contains(HttpHeaders.CONTENT_LENGTH)) resp.setChunked(true);
    BodyCapture copy = capture ? new BodyCapture(Headers.contentLength(cresp.headers()), settings.maxBodyBytes()) : null;
    cresp.handler(chunk -> {
      if (copy != null) copy.append(chunk);
      resp.write(chunk);
      if (resp.writeQueueFull()) {
        // From here the backend is read at the client's pace: the last byte's arrival would time the client.
        if (capture) x.answerHeldBack();
        cresp.pause();
        resp.drainHandler(v -> cresp.resume());
      }
    });
    cresp.exceptionHandler(t -> {
      resp.reset();
      outcome.tryComplete(new SideOutcome.Failed(t.toString()));
    });
    cresp.endHandler(v -> {
      long end = System.nanoTime();
      resp.end();
      x.metrics().latency(side, end - start);
      if (capture) x.answerTook(end - sentAt);
      if (!capture) {
        outcome.tryComplete(new SideOutcome.Failed("not captured"));
      } else if (copy.tooLarge()) {
        outcome.tryComplete(SideOutcome.TOO_LARGE);
      } else {
        outcome.tryComplete(new SideOutcome.Answer(new ResponseSnapshot(
            cresp.statusCode(), Headers.snapshot(cresp.headers()), copy.bytes())));
      }
    });
  }

  private RequestOptions options(HttpServerRequest req, Backend backend, boolean shadow) {
    String uri = req.uri();
    if (uri == null || !uri.startsWith("/")) {
      String p = req.path() == null || !req.path().startsWith("/") ? "/" : req.path();
      uri = req.query() == null ? p : p + "?" + req.query();
    }
    SocketAddress remote = req.remoteAddress();
    RequestOptions o = new RequestOptions()
        .setMethod(req.method())
        .setHost(backend.host())
        .setPort(backend.port())
        .setSsl(backend.ssl())
        .setURI(backend.uri(uri))
        .setConnectTimeout(settings.connectTimeoutMs())
        .setHeaders(Headers.upstreamRequest(req.headers(), remote == null ? null : remote.hostAddress(),
            req.authority() == null ? null : req.authority().toString(), req.isSSL() ? "https" : "http"));
    if (shadow) {
      o.putHeader(Headers.SHADOW_HEADER, Headers.SHADOW_VALUE);
      o.setConnectTimeout(Math.min(settings.connectTimeoutMs(), settings.shadowTimeoutMs()));
    } else {
      o.setIdleTimeout(settings.upstreamIdleTimeoutMs());
    }
    return o;
  }

  /** @return why the request may not be forwarded (see {@link RequestTarget}, {@link Headers#invalidField}), or null */
  private static String refusal(HttpServerRequest req) {
    String target = RequestTarget.problem(req.method().name(), req.uri());
    return target != null ? target : Headers.invalidField(req.headers());
  }

  /** 400 with the reason; an HTTP/1.1 connection closes, as its unread body could not be told from a next request. */
  private static void badRequest(HttpServerRequest req, String reason) {
    HttpServerResponse resp = req.response();
    resp.setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain");
    if (req.version() != HttpVersion.HTTP_2) resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    resp.end("bad request: " + reason + "\n");
  }

  private static void badGateway(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.closed()) return;
    if (resp.headWritten()) {
      resp.reset();
      return;
    }
    resp.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("bad gateway: upstream unavailable\n");
    req.resume();
  }
}
