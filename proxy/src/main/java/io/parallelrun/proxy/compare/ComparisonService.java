package io.parallelrun.proxy.compare;

import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.exchange.ProxyExchange;
import io.parallelrun.proxy.metrics.MismatchFieldCounts;
import io.parallelrun.proxy.mismatch.MismatchRecorder;
import io.parallelrun.proxy.noise.NoiseProbes;
import io.parallelrun.proxy.noise.ProbeSender;
import io.parallelrun.proxy.routing.Route;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs comparisons off the event loop on a small pool, with a bound on comparisons in flight: a shadow call
 * takes a permit before it starts and gives it back once its comparison is counted. When no permit is left,
 * the shadow is not sent and counted as dropped. A noise probe that follows an unmatched comparison
 * ({@link NoiseProbes}) takes a permit of its own the same way, and is not sent when none is left.
 */
public final class ComparisonService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComparisonService.class);

  private final ResponseComparator comparator;
  private final MismatchRecorder recorder;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ExecutorService pool;
  private final NoiseProbes noise;

  public ComparisonService(ResponseComparator comparator, MismatchRecorder recorder, int maxInFlight, int threads) {
    this.comparator = comparator;
    this.noise = new NoiseProbes(comparator);
    this.recorder = recorder;
    this.maxInFlight = maxInFlight;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "compare-" + n.incrementAndGet());
          t.setDaemon(true);
          t.setPriority(Thread.MIN_PRIORITY); // like the shadow lanes: yields the CPU to client traffic
          return t;
        });
  }

  /** @return true if a comparison may start; the caller must then {@link #submit} or {@link #release}. */
  public boolean tryAcquire() {
    while (true) {
      int current = inFlight.get();
      if (current >= maxInFlight) return false;
      if (inFlight.compareAndSet(current, current + 1)) return true;
    }
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Counts, on the calling event loop, the outcomes that need no real comparison: a shed shadow, a side too
   * large or without an answer, or two identical answers (see {@link ResponseComparator#identical}). Each hand-off
   * to the pool costs a thread wake-up on both sides, which on a small machine competes with the event loops
   * for the CPU; in a healthy migration most answers are identical.
   *
   * @return true if counted (the permit is then released); false if the pool must compare ({@link #task})
   */
  public boolean countWithoutComparing(ProxyExchange x) {
    Route route = x.route();
    if (!countUnanswered(x)) {
      try {
        if (!comparator.identical(answer(x.legacy()), answer(x.candidate()), NoiseProbes.rules(route))) return false;
      } catch (RuntimeException e) {
        return false; // the pool's full comparison decides, and reports the error
      }
      countCompared(x, ComparisonResult.matched);
    }
    release();
    return true;
  }

  /**
   * The work of one comparison, to be run through {@link #submitAll}: the event loop batches the comparisons
   * that complete in one turn, so the pool thread is woken once per batch rather than once per request. An
   * unmatched comparison may be followed by a noise probe, which {@code prober} sends.
   */
  public Runnable task(ProxyExchange x, ProbeSender prober) {
    return () -> {
      try {
        if (evaluate(x) == ComparisonResult.unmatched) probeNoise(x, prober);
      } catch (RuntimeException e) {
        LOG.warn("comparison of endpoint {} failed: {}", x.route().name(), e.toString());
        x.metrics().comparison(ComparisonResult.failed);
      } finally {
        release();
      }
    };
  }

  public void submitAll(List<Runnable> tasks) {
    try {
      pool.execute(() -> tasks.forEach(Runnable::run));
    } catch (RuntimeException rejected) { // pool shut down
      tasks.forEach(t -> release());
    }
  }

  /**
   * Sends a noise probe once the comparison is counted, off the client's path: only for an exchange that may be
   * probed, with an in-flight permit of its own (none left: no probe, never a queue) and within the endpoint's
   * probe budget. The probe's answer is compared on this pool, and its permit given back then.
   */
  private void probeNoise(ProxyExchange x, ProbeSender prober) {
    if (!noise.eligible(x) || !tryAcquire()) return;
    if (!noise.takeBudget(x)) {
      release();
      return;
    }
    prober.send(x, outcome -> submitAll(List.of(() -> {
      try {
        noise.learn(x, outcome);
      } catch (RuntimeException e) {
        LOG.warn("noise probe of endpoint {} failed: {}", x.route().name(), e.toString());
      } finally {
        release();
      }
    })));
  }

  /** @return the comparison's result, or null when one side had no answer to compare */
  private ComparisonResult evaluate(ProxyExchange x) {
    if (countUnanswered(x)) return null;
    Route route = x.route();
    ComparatorRules rules = NoiseProbes.rules(route);
    Comparison result = comparator.compare(answer(x.legacy()), answer(x.candidate()), rules);
    if (result.matched()) {
      countCompared(x, ComparisonResult.matched);
      return ComparisonResult.matched;
    }
    countCompared(x, ComparisonResult.unmatched);
    for (MismatchAxis axis : result.mismatches()) {
      route.metrics().mismatch(axis);
    }
    MismatchFieldCounts fields = route.metrics().mismatchFields();
    if (fields.enabled()) fields.countOnce(sink -> DifferingFields.of(result, rules, sink));
    recorder.record(x, result);
    return ComparisonResult.unmatched;
  }

  /**
   * Counts a comparison that has a result, and the two sides' latency on it: only requests both sides answered
   * and that were compared feed the paired latency gate, never failed, skipped or shed ones.
   */
  private static void countCompared(ProxyExchange x, ComparisonResult result) {
    x.route().metrics().comparison(result);
    x.route().metrics().compared(x.legacyNanos(), x.candidateNanos());
  }

  /**
   * Counts the outcome when one side has no answer to compare: a shed shadow as a dropped shadow (it says
   * nothing about the candidate, like one dropped for lack of a permit), a side too large to buffer as skipped,
   * a side that failed as failed.
   *
   * @return false when both sides answered: they are to be compared
   */
  private static boolean countUnanswered(ProxyExchange x) {
    Route route = x.route();
    SideOutcome legacy = x.legacy();
    SideOutcome candidate = x.candidate();
    if (legacy instanceof SideOutcome.Shed || candidate instanceof SideOutcome.Shed) {
      route.metrics().shadowDropped(DropReason.shadow_pool_full);
    } else if (legacy instanceof SideOutcome.TooLarge || candidate instanceof SideOutcome.TooLarge) {
      route.metrics().comparison(ComparisonResult.skipped);
    } else if (!(legacy instanceof SideOutcome.Answer) || !(candidate instanceof SideOutcome.Answer)) {
      route.metrics().comparison(ComparisonResult.failed);
    } else {
      return false;
    }
    return true;
  }

  private static ResponseSnapshot answer(SideOutcome outcome) {
    return ((SideOutcome.Answer) outcome).response();
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
