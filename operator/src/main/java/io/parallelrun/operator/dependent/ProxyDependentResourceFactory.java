package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;

/**
 * Lets the @Workflow-declared Deployment dependent receive the operator-wide default proxy image through its
 * constructor (JOSDK would otherwise instantiate it without arguments), so no static configuration is needed.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ProxyDependentResourceFactory implements DependentResourceFactory {
  private final String defaultProxyImage;

  public ProxyDependentResourceFactory(String defaultProxyImage) {
    this.defaultProxyImage = defaultProxyImage;
  }

  @Override
  public DependentResource createFrom(DependentResourceSpec spec, ControllerConfiguration configuration) {
    if (spec.getDependentResourceClass() == ProxyDeploymentDependent.class) {
      DependentResource dependent = new ProxyDeploymentDependent(defaultProxyImage);
      configure(dependent, spec, configuration);
      return dependent;
    }
    return DependentResourceFactory.super.createFrom(spec, configuration);
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    if (spec.getDependentResourceClass() == ProxyDeploymentDependent.class) {
      return Deployment.class;
    }
    return DependentResourceFactory.super.associatedResourceType(spec);
  }
}
