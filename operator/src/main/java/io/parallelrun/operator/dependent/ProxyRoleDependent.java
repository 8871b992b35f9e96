package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;

/**
 * Read access to exactly one ParallelRun: the proxy learns routes and weights from its status. resourceNames
 * restricts list and watch too, as long as the proxy asks with fieldSelector metadata.name=&lt;name&gt;.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyRoleDependent extends CRUDKubernetesDependentResource<Role, ParallelRun> {
  public ProxyRoleDependent() {
    super(Role.class);
  }

  @Override
  protected Role desired(ParallelRun run, Context<ParallelRun> context) {
    return new RoleBuilder()
        .withMetadata(ProxyObjects.metadata(run))
        .withRules(new PolicyRuleBuilder()
            .withApiGroups(ParallelRun.GROUP)
            .withResources("parallelruns")
            .withResourceNames(run.getMetadata().getName())
            .withVerbs("get", "list", "watch")
            .build())
        .build();
  }
}
