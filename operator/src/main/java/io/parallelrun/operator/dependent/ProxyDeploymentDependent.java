package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.SpecDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mirroring proxy. Its container gets exactly what the proxy's in-cluster mode needs: where to listen,
 * which ParallelRun to follow (name and namespace), and nothing else; routes and weights come from that
 * ParallelRun's spec and status, which the proxy watches.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ProxyObjects.MANAGED_SELECTOR))
public class ProxyDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, ParallelRun> {
  public static final long NON_ROOT_UID = 65532L;
  public static final String CONTAINER_NAME = "proxy";
  public static final String JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";

  private final String defaultImage;

  /** @param defaultImage the operator-wide proxy image, used when spec.proxy.image is not set */
  public ProxyDeploymentDependent(String defaultImage) {
    super(Deployment.class);
    this.defaultImage = Objects.requireNonNull(defaultImage);
  }

  /** The listeners, then spec.proxy.tuning as flags (reconcile checked them before any dependent is applied). */
  static List<String> args(ParallelRun run, int port) {
    List<String> args = new ArrayList<>();
    args.add("--listen=0.0.0.0:" + port);
    args.add("--admin=0.0.0.0:" + ProxyObjects.ADMIN_PORT);
    args.addAll(SpecDefaults.proxyFlags(run.getSpec()));
    return args;
  }

  @Override
  protected Deployment desired(ParallelRun run, Context<ParallelRun> context) {
    var proxy = run.getSpec().getProxy();
    String image = proxy != null && proxy.getImage() != null ? proxy.getImage() : defaultImage;
    int port = ProxyObjects.proxyPort(run);

    var container = new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        .withArgs(args(run, port))
        .withEnv(
            new EnvVarBuilder().withName("PARALLELRUN_NAME").withValue(run.getMetadata().getName()).build(),
            new EnvVarBuilder().withName("PARALLELRUN_NAMESPACE").withNewValueFrom()
                .withNewFieldRef().withApiVersion("v1").withFieldPath("metadata.namespace").endFieldRef()
                .endValueFrom().build(),
            // The heap as a share of the container's memory limit, leaving the rest to Netty's direct buffers,
            // metaspace and threads. The project's image passes the same flags on its command line; this covers
            // any other allowed image.
            new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(JAVA_TOOL_OPTIONS).build())
        .withPorts(
            new ContainerPortBuilder().withName(ProxyObjects.HTTP_PORT_NAME).withContainerPort(port).withProtocol("TCP").build(),
            new ContainerPortBuilder().withName(ProxyObjects.ADMIN_PORT_NAME).withContainerPort(ProxyObjects.ADMIN_PORT).withProtocol("TCP").build())
        .withLivenessProbe(probe("/healthz"))
        .withReadinessProbe(probe("/readyz"))
        .withNewSecurityContext()
          .withRunAsNonRoot(true)
          .withRunAsUser(NON_ROOT_UID)
          .withRunAsGroup(NON_ROOT_UID)
          .withReadOnlyRootFilesystem(true)
          .withAllowPrivilegeEscalation(false)
          .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build())
          .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
        .endSecurityContext()
        // The root filesystem is read-only; anything the JVM or the proxy writes goes to /tmp.
        .withVolumeMounts(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    container.withResources(SpecDefaults.proxyResources(run.getSpec()));

    return new DeploymentBuilder()
        .withMetadata(ProxyObjects.metadata(run))
        .withNewSpec()
          .withReplicas(ProxyObjects.replicas(run))
          .withNewSelector().withMatchLabels(ProxyObjects.selector(run)).endSelector()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(ProxyObjects.labels(run))
              .withAnnotations(Map.of(
                  "prometheus.io/scrape", "true",
                  "prometheus.io/port", String.valueOf(ProxyObjects.ADMIN_PORT),
                  "prometheus.io/path", "/metrics"))
            .endMetadata()
            .withNewSpec()
              .withServiceAccountName(ProxyObjects.name(run))
              .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(NON_ROOT_UID)
                .withRunAsGroup(NON_ROOT_UID)
                .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
              .endSecurityContext()
              .withContainers(container.build())
              .withVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static Probe probe(String path) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString(ProxyObjects.ADMIN_PORT_NAME)).endHttpGet()
        .withPeriodSeconds(10)
        .build();
  }
}
