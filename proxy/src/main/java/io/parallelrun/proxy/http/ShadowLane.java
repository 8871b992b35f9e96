package io.parallelrun.proxy.http;

import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.compare.ResponseSnapshot;
import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.proxy.exchange.ProxyExchange;
import io.parallelrun.proxy.routing.Backend;
import io.parallelrun.proxy.routing.Side;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The shadow side of mirrored requests, on an event loop of its own that runs at the lowest thread priority:
 * it sends the shadow copies, reads their answers, joins each with the answer the client got and counts or
 * hands over the comparison. Client traffic never waits for this loop, and when the CPU is contended the
 * operating system serves the client loops first: a slow or chatty candidate costs shadow work, and that work
 * yields to the clients (with {@code -XX:ThreadPriorityPolicy=1}; without it the JVM ignores thread priorities
 * and this loop only separates the work). Everything below {@link #mirror} runs on this loop.
 */
public final class ShadowLane extends AbstractVerticle {
  private final ComparisonService comparisons;
  private final ProxySettings settings;
  private final int[] inFlight = new int[Side.values().length]; // shadows per side sent or waiting; loop-confined
  private final ArrayList<Runnable> batch = new ArrayList<>(); // comparisons of this turn; loop-confined
  private UpstreamClients clients;
  private IdleConnectionReaper reaper;
  private FifoDeadlines deadlines;

  public ShadowLane(ComparisonService comparisons, ProxySettings settings) {
    this.comparisons = comparisons;
    this.settings = settings;
  }

  @Override
  public void start() {
    Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
    // A wait queue as long as the pool: when a slow side has every connection busy, a shadow is shed at once
    // (counted as dropped) instead of queueing behind the others. An unbounded queue held thousands of waiting
    // shadows, their timers and buffers, and their cost reached the clients' latency.
    reaper = new IdleConnectionReaper(settings.shadowIdleTimeoutMs(), System::currentTimeMillis);
    clients = new UpstreamClients(vertx, settings, settings.shadowWaitQueueSize(), reaper);
    vertx.setPeriodic(IdleConnectionReaper.TICK_MS, id -> reaper.reap());
    deadlines = new FifoDeadlines(vertx, settings.shadowTimeoutMs());
  }

  /**
   * Called on a client event loop, once the answering call has started: sends the exchange's shadow copy on this
   * lane and compares it with {@code answered} when both are in. The caller does not touch the exchange's body
   * or shadow request again.
   */
  public void mirror(ProxyExchange x, Future<SideOutcome> answered) {
    context.runOnContext(v -> send(x).onComplete(s -> {
      if (x.shadowAnswered(s.result())) joined(x);
    }));
    answered.onComplete(a -> context.runOnContext(v -> {
      if (x.answered(a.result())) joined(x);
    }));
  }

  /** The lane's event loop (for ShadowLaneTest). */
  Context context() {
    return context;
  }

  /** Both outcomes are in: count them here, or hand them to the comparison pool. */
  private void joined(ProxyExchange x) {
    if (comparisons.countWithoutComparing(x)) return;
    enqueue(comparisons.task(x, this::probe));
  }

  /** Comparisons completed in this turn; handed to the pool together at the end of the turn. */
  private void enqueue(Runnable comparison) {
    if (batch.isEmpty()) context.runOnContext(v -> flush());
    batch.add(comparison);
  }

  private void flush() {
    List<Runnable> tasks = List.copyOf(batch);
    batch.clear();
    comparisons.submitAll(tasks);
  }

  /**
   * A noise probe (see NoiseProbes): the exchange's request to legacy once more, on this lane like a shadow copy and
   * within the same bounds, so it never reaches a client's path. Called from the comparison pool; {@code done} runs
   * on this lane.
   */
  private void probe(ProxyExchange x, Consumer<SideOutcome> done) {
    context.runOnContext(v -> send(x, Side.legacy, probeRequest(x), null, true).onComplete(o -> done.accept(o.result())));
  }

  /**
   * The request of a probe: the shadow copy's method, target and headers (its shadow header too), sent to legacy's
   * backend, without a body (safe methods only).
   */
  private static RequestOptions probeRequest(ProxyExchange x) {
    RequestOptions shadow = x.shadowRequest();
    Backend legacy = x.table().backend(Side.legacy);
    return new RequestOptions()
        .setMethod(shadow.getMethod())
        .setHost(legacy.host())
        .setPort(legacy.port())
        .setSsl(legacy.ssl())
        .setURI(legacy.uri(x.query() == null ? x.path() : x.path() + "?" + x.query()))
        .setConnectTimeout(shadow.getConnectTimeout())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(shadow.getHeaders()));
  }

  /** The shadow copy. */
  private Future<SideOutcome> send(ProxyExchange x) {
    return send(x, x.shadowSide(), x.shadowRequest(), x.body(), false);
  }

  /**
   * A call on this lane, bounded by the shadow timeout, the body limit and the shadows in flight per side: the
   * shadow copy, or a noise probe, which is counted as sent and is no shadow (its latency is not the side's).
   */
  private Future<SideOutcome> send(ProxyExchange x, Side side, RequestOptions request, Buffer body, boolean probe) {
    // As many as the shadow pool has connections and waiting places: past that the pool would refuse it anyway;
    // shedding here costs no request, headers or exception.
    if (inFlight[side.ordinal()] >= settings.maxShadowsInFlightPerSide()) {
      return Future.succeededFuture(SideOutcome.SHED);
    }
    inFlight[side.ordinal()]++;
    if (probe) x.route().metrics().noise().probeSent().run();
    ShadowCall call = new ShadowCall(side);
    long start = System.nanoTime();
    call.deadline = deadlines.add(
        () -> call.finish(new SideOutcome.Failed("timeout after " + settings.shadowTimeoutMs() + " ms")));
    clients.of(x.table().backend(side)).request(request).onComplete(ar -> {
      if (ar.failed()) {
        call.finish(ar.cause() instanceof ConnectionPoolTooBusyException
            ? SideOutcome.SHED
            : new SideOutcome.Failed(ar.cause().toString()));
        return;
      }
      call.request = ar.result();
      reaper.used(call.request.connection());
      if (call.outcome.future().isComplete()) {
        call.request.reset();
        return;
      }
      // Timed as the answer is (see ProxyHandler): from here, so the lane's queue and the wait for a connection
      // do not count against the side that gets the shadow.
      long sentAt = System.nanoTime();
      (body == null ? call.request.send() : call.request.send(body)).onComplete(rar -> {
        if (rar.failed()) {
          call.finish(new SideOutcome.Failed(rar.cause().toString()));
          return;
        }
        HttpClientResponse r = rar.result();
        BodyCapture buf = new BodyCapture(Headers.contentLength(r.headers()), settings.maxBodyBytes());
        if (buf.tooLarge()) {
          call.finish(SideOutcome.TOO_LARGE);
          return;
        }
        r.handler(chunk -> {
          if (call.outcome.future().isComplete()) return;
          buf.append(chunk);
          if (buf.tooLarge()) call.finish(SideOutcome.TOO_LARGE);
        });
        r.exceptionHandler(t -> call.finish(new SideOutcome.Failed(t.toString())));
        r.endHandler(v -> {
          long end = System.nanoTime();
          if (!probe) x.metrics().latency(side, end - start);
          if (buf.tooLarge() || call.outcome.future().isComplete()) return; // already finished
          if (!probe) x.shadowTook(end - sentAt);
          call.finish(new SideOutcome.Answer(new ResponseSnapshot(r.statusCode(), Headers.snapshot(r.headers()), buf.bytes())));
        });
      });
    });
    return call.outcome.future();
  }

  private final class ShadowCall {
    final Promise<SideOutcome> outcome = Promise.promise();
    final Side side;
    HttpClientRequest request;
    FifoDeadlines.Deadline deadline;

    ShadowCall(Side side) {
      this.side = side;
    }

    void finish(SideOutcome o) {
      if (!outcome.tryComplete(o)) return;
      inFlight[side.ordinal()]--;
      deadline.cancel();
      if (!(o instanceof SideOutcome.Answer) && request != null) request.reset();
    }
  }
}
