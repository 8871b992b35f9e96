package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;

/**
 * The address clients and ingresses use instead of the legacy Service: {@code <name>-proxy:<port>}, client
 * traffic only. The admin port (/metrics, /mismatches with redacted request samples) is not published here:
 * anyone who can reach the Service could read it. Prometheus scrapes the pods' admin port directly (the pod
 * annotations, the chart's PodMonitor); kubectl port-forward reaches it for debugging.
 *
 * <p>The one proxy object without an owner reference, so that a foreground deletion cannot take it from its
 * clients before the finalizer has handed it over.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyServiceDependent extends KubernetesDependentResource<Service, ParallelRun>
    // Created and updated, never deleted nor garbage collected with the run: the run's finalizer hands it over
    // or removes it (ProxyServiceHandover). Without an owner reference JOSDK maps it to its run by annotations.
    implements Creator<Service, ParallelRun>, Updater<Service, ParallelRun> {
  public ProxyServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ParallelRun run, Context<ParallelRun> context) {
    return new ServiceBuilder()
        .withMetadata(ProxyObjects.unownedMetadata(run))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(ProxyObjects.selector(run))
          .withPorts(
              new ServicePortBuilder().withName(ProxyObjects.HTTP_PORT_NAME).withProtocol("TCP")
                  .withPort(ProxyObjects.proxyPort(run)).withTargetPort(new IntOrString(ProxyObjects.HTTP_PORT_NAME)).build())
        .endSpec()
        .build();
  }
}
