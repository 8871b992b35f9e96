package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;

/** Grants the proxy's Role to the proxy's ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyRoleBindingDependent extends CRUDKubernetesDependentResource<RoleBinding, ParallelRun> {
  public ProxyRoleBindingDependent() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(ParallelRun run, Context<ParallelRun> context) {
    return new RoleBindingBuilder()
        .withMetadata(ProxyObjects.metadata(run))
        .withNewRoleRef()
          .withApiGroup("rbac.authorization.k8s.io")
          .withKind("Role")
          .withName(ProxyObjects.name(run))
        .endRoleRef()
        .addNewSubject()
          .withKind("ServiceAccount")
          .withName(ProxyObjects.name(run))
          .withNamespace(run.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
