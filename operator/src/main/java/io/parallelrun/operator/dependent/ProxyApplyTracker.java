package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.parallelrun.api.ParallelRun;
import java.time.Duration;
import java.time.Instant;
import io.parallelrun.operator.state.PerRunCache;
import io.parallelrun.operator.state.RunStates;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides when the proxy objects need applying again, so that the analysis, which runs every interval, does not
 * also re-match six objects every interval (JOSDK's server-side-apply matching is the costliest part of a
 * reconciliation at scale). They are applied when this process has not applied them yet, when the ParallelRun's
 * generation changed, when any owned object changed or vanished since (drift is corrected at once, as an
 * always-on workflow would), {@link #RETRY_FAILED} after a failed apply, and at least every {@link #RESYNC}.
 *
 * <p>In memory only: a restarted operator applies everything once, which is what a fresh start should do. What
 * was applied for a run is dropped with the run ({@link RunStates}).
 */
public final class ProxyApplyTracker {
  public static final Duration RESYNC = Duration.ofMinutes(10);
  /**
   * A failed apply (quota, admission, no Service IP left) is retried this often, not on every reconciliation:
   * an apply that fails for a reason only a person can fix must not take the API server's and the operator's
   * capacity away from the analysis of every other run.
   */
  public static final Duration RETRY_FAILED = Duration.ofSeconds(30);
  private static final List<Class<? extends HasMetadata>> OWNED =
      List.of(Deployment.class, Service.class, ServiceAccount.class, Role.class, RoleBinding.class,
          PodDisruptionBudget.class);

  private record Applied(long generation, String ownedVersions, Instant at, Optional<String> problem) {}

  private final PerRunCache<Applied> applied;

  public ProxyApplyTracker(RunStates states) {
    this.applied = states.newCache();
  }

  public boolean due(ParallelRun run, Context<ParallelRun> context, Instant now) {
    Applied last = applied.get(run).orElse(null);
    if (last != null && last.problem().isPresent()) {
      return last.generation() != generation(run) || now.isBefore(last.at())
          || Duration.between(last.at(), now).compareTo(RETRY_FAILED) >= 0;
    }
    return last == null
        || last.generation() != generation(run)
        || !last.ownedVersions().equals(ownedVersions(context))
        || now.isBefore(last.at())
        || Duration.between(last.at(), now).compareTo(RESYNC) >= 0;
  }

  public void applied(ParallelRun run, Context<ParallelRun> context, Instant now, Optional<String> problem) {
    applied.put(run, new Applied(generation(run), ownedVersions(context), now, problem));
  }

  /** What the last apply reported, for the reconciliations that skip applying. */
  public Optional<String> lastProblem(ParallelRun run) {
    return applied.get(run).flatMap(Applied::problem);
  }

  private static String ownedVersions(Context<ParallelRun> context) {
    return OWNED.stream()
        .map(type -> context.getSecondaryResource(type).map(o -> o.getMetadata().getResourceVersion()).orElse("-"))
        .collect(Collectors.joining(","));
  }

  private static long generation(ParallelRun run) {
    Long generation = run.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
