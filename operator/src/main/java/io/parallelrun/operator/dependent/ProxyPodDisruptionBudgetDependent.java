package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;

/**
 * Node drains and cluster upgrades evict at most one proxy pod at a time, so the Service keeps endpoints while
 * clients go through it. maxUnavailable 1 rather than minAvailable: it means the same with two or more
 * replicas, follows spec.proxy.replicas without being rewritten, and with one replica it still lets a drain
 * finish (minAvailable 1 would block it forever).
 */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyPodDisruptionBudgetDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, ParallelRun> {
  public ProxyPodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(ParallelRun run, Context<ParallelRun> context) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ProxyObjects.metadata(run))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(ProxyObjects.selector(run)).endSelector()
        .endSpec()
        .build();
  }
}
