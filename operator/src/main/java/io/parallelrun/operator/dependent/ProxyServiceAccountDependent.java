package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;

/** The identity the proxy pods run as; the Role below lets it read its own ParallelRun only. */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, ParallelRun> {
  public ProxyServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(ParallelRun run, Context<ParallelRun> context) {
    return new ServiceAccountBuilder().withMetadata(ProxyObjects.metadata(run)).build();
  }
}
