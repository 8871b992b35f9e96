package io.parallelrun.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.operator.act.EventRecorder;
import io.parallelrun.operator.act.StatusMetrics;
import io.parallelrun.operator.decide.CutoverDecider;
import io.parallelrun.operator.decide.Decision;
import io.parallelrun.operator.observe.MetricsObserver;
import io.parallelrun.operator.dependent.ProxyDeploymentDependent;
import io.parallelrun.operator.dependent.ProxyPodDisruptionBudgetDependent;
import io.parallelrun.operator.dependent.ProxyRoleBindingDependent;
import io.parallelrun.operator.dependent.ProxyRoleDependent;
import io.parallelrun.operator.dependent.ProxyServiceAccountDependent;
import io.parallelrun.operator.dependent.ProxyServiceDependent;
import io.parallelrun.operator.dependent.ProxyServiceHandover;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowResult;
import io.parallelrun.operator.dependent.ProxyApplyTracker;
import io.parallelrun.operator.dependent.ProxyObjects;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.policy.PolicyViolation;
import io.parallelrun.operator.policy.RunPolicy;
import io.parallelrun.operator.state.RunStates;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ParallelRun: the operator's {@link RunPolicy} is checked first (a refused run gets no proxy and no
 * analysis), then the workflow server-side-applies the proxy objects (owned, so deleting the run deletes them,
 * except the Service, which the finalizer hands over),
 * then observe (Prometheus) → decide ({@link CutoverDecider}, pure) → act (status patch, Events, requeue).
 *
 * <p>Event processing is not generation-aware: the approve and rollback annotations do not bump the
 * generation, and they must take effect without waiting for the next interval. The extra reconciliations this
 * causes (including the one after our own status patch) reuse the last Prometheus answer, see
 * {@link MetricsObserver}, and write nothing when nothing changed.
 */
// explicitInvocation: the proxy objects are applied when ProxyApplyTracker says so, not on every analysis.
// handleExceptionsInReconciler: a proxy object that cannot be applied (quota, admission, a full Service IP
// range) is reported in the Ready condition, and the analysis of the run goes on.
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "serviceaccount", type = ProxyServiceAccountDependent.class),
    @Dependent(name = "role", type = ProxyRoleDependent.class),
    @Dependent(name = "rolebinding", type = ProxyRoleBindingDependent.class, dependsOn = {"serviceaccount", "role"}),
    @Dependent(name = "service", type = ProxyServiceDependent.class),
    @Dependent(name = "deployment", type = ProxyDeploymentDependent.class, dependsOn = "serviceaccount"),
    @Dependent(name = "disruptionbudget", type = ProxyPodDisruptionBudgetDependent.class)
})
@ControllerConfiguration(name = ParallelRunReconciler.NAME, generationAwareEventProcessing = false)
public class ParallelRunReconciler implements Reconciler<ParallelRun>, Cleaner<ParallelRun> {
  public static final String NAME = "parallelrun";
  private static final Logger LOG = LoggerFactory.getLogger(ParallelRunReconciler.class);
  /** Never requeue sooner than this, even when the next query is (nearly) due already. */
  private static final Duration MIN_REQUEUE = Duration.ofMillis(100);

  private final MetricsObserver observer;
  private final CutoverDecider decider;
  private final EventRecorder events;
  private final StatusMetrics statusMetrics;
  private final Clock clock;
  private final RunPolicy policy;
  private final ProxyServiceHandover handover;
  private final ProxyApplyTracker proxyApplies;
  private final RunStates runStates;

  /** {@code runStates} holds the observer's and {@code proxyApplies}' values per run; this drops them with the runs. */
  public ParallelRunReconciler(MetricsObserver observer, CutoverDecider decider, EventRecorder events,
      StatusMetrics statusMetrics, Clock clock, RunPolicy policy, ProxyServiceHandover handover,
      ProxyApplyTracker proxyApplies, RunStates runStates) {
    this.proxyApplies = proxyApplies;
    this.runStates = runStates;
    this.policy = policy;
    this.handover = handover;
    this.observer = observer;
    this.decider = decider;
    this.events = events;
    this.statusMetrics = statusMetrics;
    this.clock = clock;
  }

  /**
   * Deleting a run must not take the Service its clients call with it: the Service (which has no owner, so no
   * garbage collector removes it) is handed over to a real backend, or removed when it cannot be (see
   * {@link ProxyServiceHandover}); the garbage collector removes the rest of the proxy.
   * This is why the operator holds a finalizer on ParallelRuns (it patches metadata, never spec).
   */
  @Override
  public DeleteControl cleanup(ParallelRun run, Context<ParallelRun> context) {
    try {
      handover.handOver(run).ifPresent(t -> events.record(run, java.util.List.of(t)));
    } catch (KubernetesClientException e) {
      // Retried: a deletion that would cut clients off waits rather than goes ahead.
      LOG.warn("{}/{}: handing the proxy Service over failed, retrying: {}", run.getMetadata().getNamespace(),
          run.getMetadata().getName(), e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      // Anything else would fail every retry: the run must not stay Terminating for ever.
      LOG.error("{}/{}: the proxy Service could not be handed over and goes with the run", run.getMetadata().getNamespace(),
          run.getMetadata().getName(), e);
      removeProxyService(run);
    }
    runStates.forget(run);
    return DeleteControl.defaultDelete();
  }

  /** Best effort: the Service is not owned, so nothing else removes it once the run is gone. */
  private void removeProxyService(ParallelRun run) {
    try {
      handover.remove(run);
    } catch (RuntimeException e) {
      LOG.error("{}/{}: the proxy Service could not be removed either; delete {} by hand", run.getMetadata().getNamespace(),
          run.getMetadata().getName(), ProxyObjects.name(run), e);
    }
  }

  @Override
  public UpdateControl<ParallelRun> reconcile(ParallelRun run, Context<ParallelRun> context) {
    runStates.pruneIfDue(context.getPrimaryCache(), clock.instant());
    Optional<String> invalid = specProblem(run);
    if (invalid.isPresent()) {
      // The API server's schema rejects such specs; this guards runs admitted under an older CRD. No requeue:
      // fixing the spec triggers the next reconciliation.
      LOG.warn("{}/{}: invalid spec, nothing decided: {}", run.getMetadata().getNamespace(), run.getMetadata().getName(),
          invalid.get());
      Decision decision = decider.invalidSpec(run.getStatus(), generation(run), invalid.get(), clock.instant());
      return decision.changed() ? UpdateControl.patchStatus(statusOnly(run, decision)) : UpdateControl.noUpdate();
    }
    Optional<PolicyViolation> violation = policy.check(run.getSpec());
    if (violation.isPresent()) {
      return refuse(run, context, violation.get());
    }
    Optional<String> proxyProblem = applyProxyIfDue(run, context, clock.instant());
    // Read the clock after applying: the decision (and its timestamps) must not predate a slow apply.
    Instant now = clock.instant();
    MetricsObserver.Observation observation = observer.observe(run, now);
    Map<String, String> annotations = run.getMetadata().getAnnotations();
    Decision decision = decider.decide(run.getSpec(), generation(run), annotations, observation.metrics(),
        run.getStatus(), now, proxyProblem);

    // Requeue when the next query is due, so a decision follows each interval as closely as possible.
    Duration requeue = Duration.between(clock.instant(), observation.nextQueryAt());
    if (requeue.compareTo(MIN_REQUEUE) < 0) requeue = MIN_REQUEUE;
    statusMetrics.publish(run, decision.status(), decision.transitions());

    if (!decision.changed()) {
      return UpdateControl.<ParallelRun>noUpdate().rescheduleAfter(requeue);
    }
    events.record(run, decision.transitions());
    LOG.debug("{}/{}: phase {} cutOver {}", run.getMetadata().getNamespace(), run.getMetadata().getName(),
        decision.status().getPhase(), decision.status().getCutOver());
    return UpdateControl.patchStatus(statusOnly(run, decision)).rescheduleAfter(requeue);
  }

  /**
   * A run the operator's policy refuses gets no proxy and no analysis: a proxy deployed before the spec changed
   * is removed (it follows its ParallelRun's spec by itself, so it would start relaying the refused backend), and
   * Prometheus is not asked. Status says why; endpoints stay where they were.
   */
  private UpdateControl<ParallelRun> refuse(ParallelRun run, Context<ParallelRun> context, PolicyViolation violation) {
    String ns = run.getMetadata().getNamespace();
    boolean removalFailed = false;
    if (context.getSecondaryResource(Deployment.class).isPresent()) {
      LOG.warn("{}/{}: removing the proxy: {}", ns, run.getMetadata().getName(), violation.message());
      try {
        context.getClient().apps().deployments().inNamespace(ns).withName(ProxyObjects.name(run)).delete();
      } catch (KubernetesClientException e) {
        LOG.warn("{}/{}: could not remove the proxy: {}", ns, run.getMetadata().getName(), rootMessage(e));
        removalFailed = true;
      }
    }
    Instant now = clock.instant();
    Decision decision = decider.decide(run.getSpec(), generation(run), run.getMetadata().getAnnotations(),
        ObservedMetrics.unavailable("PolicyViolation", "not analysed: " + violation.message()), run.getStatus(), now,
        Optional.empty(), Optional.of(violation));
    statusMetrics.publish(run, decision.status(), decision.transitions());
    // Nothing to wait for unless the removal failed: a spec edit, or the Deployment reappearing, triggers the
    // next reconciliation by itself.
    UpdateControl<ParallelRun> control = decision.changed()
        ? UpdateControl.patchStatus(statusOnly(run, decision)) : UpdateControl.noUpdate();
    events.record(run, decision.transitions());
    return removalFailed ? control.rescheduleAfter(ProxyApplyTracker.RETRY_FAILED) : control;
  }

  /**
   * Only name, namespace and status: applied server-side to the status subresource, it can never touch the
   * spec or metadata a person edits.
   */
  private static ParallelRun statusOnly(ParallelRun run, Decision decision) {
    ParallelRun patch = new ParallelRun();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(run.getMetadata().getName())
        .withNamespace(run.getMetadata().getNamespace())
        .build());
    patch.setStatus(decision.status());
    return patch;
  }

  private Optional<String> applyProxyIfDue(ParallelRun run, Context<ParallelRun> context, Instant now) {
    if (!proxyApplies.due(run, context, now)) {
      return proxyApplies.lastProblem(run);
    }
    Optional<String> problem;
    try {
      problem = proxyProblem(run, context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow());
    } catch (RuntimeException e) {
      problem = Optional.of(rootMessage(e));
    }
    proxyApplies.applied(run, context, now, problem);
    return problem;
  }

  private static Optional<String> proxyProblem(ParallelRun run, WorkflowReconcileResult workflow) {
    return Optional.ofNullable(workflow)
        .filter(WorkflowResult::erroredDependentsExist)
        .map(result -> {
          String problems = result.getErroredDependents().entrySet().stream()
              .map(e -> e.getKey().resourceType().getSimpleName() + " " + ProxyObjects.name(run) + ": "
                  + rootMessage(e.getValue()))
              .sorted()
              .collect(Collectors.joining("; "));
          LOG.warn("{}/{}: proxy objects not applied: {}", run.getMetadata().getNamespace(), run.getMetadata().getName(), problems);
          return problems;
        });
  }

  /** The API server's own words when there are some (e.g. "failed to allocate a serviceIP: range is full"). */
  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (true) {
      if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      if (cause.getCause() == null || cause.getCause() == cause) return String.valueOf(cause.getMessage());
      cause = cause.getCause();
    }
  }

  /** What SpecDefaults cannot resolve (its message names the field), if anything. */
  private static Optional<String> specProblem(ParallelRun run) {
    try {
      SpecDefaults.analysisInterval(run.getSpec());
      SpecDefaults.resolve(run.getSpec());
      SpecDefaults.proxyFlags(run.getSpec());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static long generation(ParallelRun run) {
    Long generation = run.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
