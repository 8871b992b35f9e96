package io.parallelrun.operator.state;

import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.parallelrun.api.ParallelRun;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One value per ParallelRun that this process keeps between reconciliations, in memory only. A value belongs to
 * one run, by namespace, name and uid: a run deleted and created again under the same name starts afresh. Made
 * by {@link RunStates}, which drops the values of runs that are gone from every such cache at once.
 */
public final class PerRunCache<T> {
  private record Held<T>(String uid, T value) {}

  private final Map<ResourceID, Held<T>> byRun = new ConcurrentHashMap<>();

  PerRunCache() {}

  public Optional<T> get(ParallelRun run) {
    Held<T> held = byRun.get(ResourceID.fromResource(run));
    return held != null && Objects.equals(held.uid(), run.getMetadata().getUid())
        ? Optional.of(held.value()) : Optional.empty();
  }

  public void put(ParallelRun run, T value) {
    byRun.put(ResourceID.fromResource(run), new Held<>(run.getMetadata().getUid(), value));
  }

  public int size() {
    return byRun.size();
  }

  boolean holds(ParallelRun run) {
    return get(run).isPresent();
  }

  void forget(ParallelRun run) {
    byRun.remove(ResourceID.fromResource(run));
  }

  /** Keeps only the values of runs the cache holds, with the same uid. */
  void retainRunsIn(ResourceCache<ParallelRun> runs) {
    byRun.entrySet().removeIf(e -> runs.get(e.getKey())
        .map(run -> !Objects.equals(run.getMetadata().getUid(), e.getValue().uid()))
        .orElse(true));
  }
}
