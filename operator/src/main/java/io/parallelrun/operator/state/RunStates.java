package io.parallelrun.operator.state;

import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.parallelrun.api.ParallelRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every {@link PerRunCache} of this process (what was last applied for a run, its last Prometheus answer), and
 * the one rule for dropping their values once the run is gone: at once when the run's finalizer runs
 * ({@link #forget}), and for a run that left without it (a namespace no longer watched, a finalizer removed by
 * hand) when the values are pruned against the informer's cache of ParallelRuns, which is what the operator
 * knows of the runs that exist ({@link #pruneIfDue}).
 */
public final class RunStates {
  /**
   * Pruning walks every value, so it is not done on every reconciliation; a value left for this long costs a few
   * hundred bytes and is never read (a new run of the same name has another uid).
   */
  public static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private final List<PerRunCache<?>> caches = new CopyOnWriteArrayList<>();
  private final AtomicReference<Instant> lastPruned = new AtomicReference<>(Instant.EPOCH);

  /** A new cache whose values are dropped with their runs. */
  public <T> PerRunCache<T> newCache() {
    PerRunCache<T> cache = new PerRunCache<>();
    caches.add(cache);
    return cache;
  }

  /** The run is being deleted: nothing it left here will be read again. */
  public void forget(ParallelRun run) {
    caches.forEach(c -> c.forget(run));
  }

  /** Whether any cache holds a value of this run. */
  public boolean holds(ParallelRun run) {
    return caches.stream().anyMatch(c -> c.holds(run));
  }

  /**
   * Drops the values of runs {@code runs} (JOSDK's primary cache) no longer holds, at most every
   * {@link #PRUNE_EVERY}; a clock that stepped back makes it due at once.
   */
  public void pruneIfDue(ResourceCache<ParallelRun> runs, Instant now) {
    Instant last = lastPruned.get();
    boolean due = now.isBefore(last) || Duration.between(last, now).compareTo(PRUNE_EVERY) >= 0;
    if (due && lastPruned.compareAndSet(last, now)) {
      caches.forEach(c -> c.retainRunsIn(runs));
    }
  }
}
