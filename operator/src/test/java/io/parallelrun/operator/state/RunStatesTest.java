package io.parallelrun.operator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.observe.MetricsObserver;
import io.parallelrun.operator.observe.provider.AnalysisProviders;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.support.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Per-run values are read back for their run only, and dropped with it: on cleanup, or against the primary cache. */
class RunStatesTest {
  static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  static ParallelRun run(String namespace, String name, String uid) {
    ParallelRun run = Manifests.run(namespace, name, Manifests.withAnalysis(Manifests.spec(
        new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(100), Manifests.endpoint("get", HttpMethod.GET, "/o")),
        null, "10s"));
    run.setMetadata(new ObjectMetaBuilder(run.getMetadata()).withUid(uid).build());
    return run;
  }

  /** The informer's cache of ParallelRuns, as JOSDK's primary cache answers. */
  static final class Informed implements ResourceCache<ParallelRun> {
    final Map<ResourceID, ParallelRun> runs = new ConcurrentHashMap<>();

    Informed with(ParallelRun... present) {
      for (ParallelRun run : present) runs.put(ResourceID.fromResource(run), run);
      return this;
    }

    @Override
    public Optional<ParallelRun> get(ResourceID id) {
      return Optional.ofNullable(runs.get(id));
    }

    @Override
    public Stream<ResourceID> keys() {
      return runs.keySet().stream();
    }

    @Override
    public Stream<ParallelRun> list(Predicate<ParallelRun> predicate) {
      return runs.values().stream().filter(predicate);
    }

    @Override
    public Stream<ParallelRun> list(String namespace, Predicate<ParallelRun> predicate) {
      return list(predicate.and(r -> namespace.equals(r.getMetadata().getNamespace())));
    }
  }

  @Test
  void aValueIsReadBackForItsRunOnlyAndARunCreatedAgainUnderTheSameNameStartsAfresh() {
    PerRunCache<String> cache = new RunStates().newCache();
    cache.put(run("shop", "orders", "uid-1"), "applied");
    assertThat(cache.get(run("shop", "orders", "uid-1"))).contains("applied");
    assertThat(cache.get(run("shop", "orders", "uid-2"))).as("deleted and created again").isEmpty();
    assertThat(cache.get(run("other", "orders", "uid-1"))).as("another namespace").isEmpty();
    assertThat(cache.get(run("shop", "returns", "uid-1"))).as("another name").isEmpty();
  }

  @Test
  void forgettingARunDropsItsValuesFromEveryCacheAndNothingElse() {
    RunStates states = new RunStates();
    PerRunCache<String> applied = states.newCache();
    PerRunCache<Integer> observed = states.newCache();
    ParallelRun orders = run("shop", "orders", "uid-1");
    ParallelRun returns = run("shop", "returns", "uid-2");
    applied.put(orders, "a");
    observed.put(orders, 1);
    applied.put(returns, "b");

    states.forget(orders);

    assertThat(states.holds(orders)).isFalse();
    assertThat(applied.get(returns)).contains("b");
    assertThat(applied.size() + observed.size()).isEqualTo(1);
  }

  @Test
  void pruningKeepsOnlyRunsThePrimaryCacheHoldsWithTheSameUid() {
    RunStates states = new RunStates();
    PerRunCache<String> cache = states.newCache();
    ParallelRun live = run("shop", "orders", "uid-1");
    ParallelRun gone = run("shop", "returns", "uid-2");
    ParallelRun replaced = run("shop", "refunds", "uid-3");
    for (ParallelRun run : List.of(live, gone, replaced)) cache.put(run, "v");

    states.pruneIfDue(new Informed().with(live, run("shop", "refunds", "uid-4")), T0);

    assertThat(cache.get(live)).contains("v");
    assertThat(states.holds(gone)).as("no longer in the cache").isFalse();
    assertThat(states.holds(replaced)).as("in the cache under another uid").isFalse();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void pruningRunsAtMostEveryPruneEveryUnlessTheClockSteppedBack() {
    RunStates states = new RunStates();
    PerRunCache<String> cache = states.newCache();
    Informed none = new Informed();
    states.pruneIfDue(none, T0);

    cache.put(run("shop", "orders", "uid-1"), "v");
    states.pruneIfDue(none, T0.plus(RunStates.PRUNE_EVERY).minusMillis(1));
    assertThat(cache.size()).as("not due yet").isEqualTo(1);
    states.pruneIfDue(none, T0.plus(RunStates.PRUNE_EVERY));
    assertThat(cache.size()).as("due").isZero();

    cache.put(run("shop", "orders", "uid-1"), "v");
    states.pruneIfDue(none, T0.minusSeconds(1));
    assertThat(cache.size()).as("a clock that stepped back").isZero();
  }

  @Test
  void theObserversLastAnswerIsReusedWithinTheIntervalAndGoesWithItsRun() {
    RunStates states = new RunStates();
    MetricsObserver observer = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(1)), Optional.empty(),
        AnalysisProviders.NONE, MetricsObserver.Instruments.NONE, states);
    ParallelRun orders = run("shop", "orders", "uid-1");

    MetricsObserver.Observation first = observer.observe(orders, T0);
    assertThat(observer.observe(orders, T0.plusSeconds(1))).as("reused within the interval").isSameAs(first);
    assertThat(states.holds(orders)).isTrue();

    states.forget(orders);
    assertThat(states.holds(orders)).isFalse();
    assertThat(observer.observe(orders, T0.plusSeconds(1)).queriedAt()).as("asked afresh").isEqualTo(T0.plusSeconds(1));
  }
}
