package io.parallelrun.proxy.exchange;

import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.proxy.metrics.EndpointMetrics;
import io.parallelrun.proxy.routing.Route;
import io.parallelrun.proxy.routing.RouteDecision;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * One client request on its way through the proxy, created once it is routed and carried to the end: by the
 * client event loop that answers it, the shadow lane that mirrors it and joins the two answers, and the
 * comparison thread that records a mismatch (in the manner of vertx-http-proxy's {@code ProxyContext}). It is the
 * only object the request path allocates for carrying a request's state, so that nothing passes the same values
 * from method to method.
 *
 * <p>Each part has one owner at a time, and each hand-over (to the lane, to the pool) goes through a Vert.x or
 * executor task queue, which orders the writes before the reads: what the request is, fixed when routed; the body
 * and the in-flight permit, the client loop's until the shadow is handed over; the two outcomes, the lane's; the
 * answer's latency, the client loop's until its outcome is handed to the lane; the shadow's, the lane's.
 */
public final class ProxyExchange {
  private final HttpServerRequest request;
  private final RoutingTable table;
  private final Route route;
  private final RouteDecision decision;
  // What a mismatch sample shows of the request, read on the client loop when the exchange is mirrored: the lane
  // and the comparison threads never touch the request itself.
  private String method;
  private String path;
  private String query;

  private Buffer body;
  private boolean bodyComplete;
  private boolean holdsPermit;
  private RequestOptions shadowRequest;

  private SideOutcome answer;
  private SideOutcome shadow;
  // Each side's latency as the paired latency gate compares them (see #answerTook); negative while unknown.
  private static final long HELD_BACK = Long.MIN_VALUE;
  private long answerNanos = -1;
  private long shadowNanos = -1;

  /**
   * @param route the endpoint the request matched, or null: then legacy answers and the request counts as unmatched
   * @param decision who answers, and whether the other side may get a shadow copy
   */
  public ProxyExchange(HttpServerRequest request, RoutingTable table, Route route, RouteDecision decision) {
    this.request = request;
    this.table = table;
    this.route = route;
    this.decision = decision;
  }

  public HttpServerRequest request() {
    return request;
  }

  public RoutingTable table() {
    return table;
  }

  /** @return the matched endpoint, or null when the request matched none */
  public Route route() {
    return route;
  }

  /** The endpoint's meters, or those of the unmatched requests. */
  public EndpointMetrics metrics() {
    return route == null ? table.unmatched() : route.metrics();
  }

  public RouteDecision decision() {
    return decision;
  }

  public Side answerSide() {
    return decision.answer();
  }

  public Side shadowSide() {
    return decision.answer().other();
  }

  /** The request's method, path and query (as received, or null), once {@link #mirrored}. */
  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public String query() {
    return query;
  }

  /** The whole request body is at hand: {@code body}, or null when the request has none. */
  public void bodyComplete(Buffer body) {
    this.body = body;
    this.bodyComplete = true;
  }

  /** The body outgrew the buffering limit: {@code prefix} was read, the rest is to stream from the client. */
  public void bodyOverflowed(Buffer prefix) {
    this.body = prefix;
    this.bodyComplete = false;
  }

  /** Whether the whole request body is at hand ({@link #body}); otherwise the rest streams from the client. */
  public boolean bodyComplete() {
    return bodyComplete;
  }

  /** @return the whole body (null: the request has none) or, when not {@link #bodyComplete}, what was read of it */
  public Buffer body() {
    return body;
  }

  /** Whether the exchange holds one of the comparison service's in-flight permits (client loop only). */
  public boolean holdsPermit() {
    return holdsPermit;
  }

  public void holdsPermit(boolean held) {
    this.holdsPermit = held;
  }

  /**
   * The exchange is mirrored: the answer is kept for comparison and {@code options} go to the other side. Called on
   * the client loop, before the exchange is handed to the lane.
   */
  public void mirrored(RequestOptions options) {
    this.shadowRequest = options;
    this.method = request.method().name();
    this.path = request.path();
    this.query = request.query();
  }

  /** @return the shadow copy's request, or null when the exchange is not mirrored */
  public RequestOptions shadowRequest() {
    return shadowRequest;
  }

  /** Whether {@code side}'s answer is to be kept for comparison: it answers a mirrored exchange. */
  public boolean captures(Side side) {
    return shadowRequest != null && side == answerSide();
  }

  /** The client's answer, on the lane. @return true when the shadow's is in too: the pair can be compared */
  public boolean answered(SideOutcome outcome) {
    answer = outcome;
    return shadow != null;
  }

  /** The shadow's answer, on the lane. @return true when the client's is in too: the pair can be compared */
  public boolean shadowAnswered(SideOutcome outcome) {
    shadow = outcome;
    return answer != null;
  }

  public SideOutcome legacy() {
    return answerSide() == Side.legacy ? answer : shadow;
  }

  public SideOutcome candidate() {
    return answerSide() == Side.legacy ? shadow : answer;
  }

  /**
   * How long the captured answer took: from sending the request upstream, with a connection in hand, to its last
   * byte. Set on the client loop before the answer's outcome is handed to the lane.
   */
  public void answerTook(long nanos) {
    if (answerNanos != HELD_BACK) answerNanos = nanos;
  }

  /**
   * The client read the captured answer more slowly than the backend sent it, and reading from the backend paused:
   * when its last byte arrived is unknown, the pair's latency stays unrecorded rather than timing the client.
   */
  public void answerHeldBack() {
    answerNanos = HELD_BACK;
  }

  /** How long the shadow's answer took, measured as {@link #answerTook}'s; set on the lane. */
  public void shadowTook(long nanos) {
    shadowNanos = nanos;
  }

  /** @return legacy's latency on this exchange in nanoseconds, or a negative number when unknown */
  public long legacyNanos() {
    return answerSide() == Side.legacy ? answerNanos : shadowNanos;
  }

  /** @return the candidate's latency on this exchange in nanoseconds, or a negative number when unknown */
  public long candidateNanos() {
    return answerSide() == Side.legacy ? shadowNanos : answerNanos;
  }
}
