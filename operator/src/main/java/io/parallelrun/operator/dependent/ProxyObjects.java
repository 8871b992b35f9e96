package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ProxySpec;
import io.parallelrun.api.SpecDefaults;
import java.util.Map;

/** Names, labels and ports shared by every object the operator manages for one ParallelRun. */
public final class ProxyObjects {
  /** Every owned object carries it; the dependents' informers watch only these (bounded caches at scale). */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "parallel-run-operator";
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  public static final String APP_NAME = "parallel-run-proxy";

  public static final int ADMIN_PORT = SpecDefaults.PROXY_ADMIN_PORT;
  public static final String HTTP_PORT_NAME = "http";
  public static final String ADMIN_PORT_NAME = "admin";

  private ProxyObjects() {}

  public static String name(ParallelRun run) {
    return name(run.getMetadata().getName());
  }

  /** The name of the proxy Deployment (and Service, ...) of the ParallelRun of that name. */
  public static String name(String parallelRunName) {
    return parallelRunName + "-proxy";
  }

  /** Selects the proxy pods of one ParallelRun: stable, so it never changes on an existing Deployment. */
  public static Map<String, String> selector(ParallelRun run) {
    return Map.of(NAME_LABEL, APP_NAME, INSTANCE_LABEL, run.getMetadata().getName());
  }

  public static Map<String, String> labels(ParallelRun run) {
    return Map.of(NAME_LABEL, APP_NAME, INSTANCE_LABEL, run.getMetadata().getName(),
        COMPONENT_LABEL, "proxy", MANAGED_BY_LABEL, MANAGED_BY);
  }

  /** Owned by the run: the garbage collector deletes the object with it. */
  public static ObjectMeta metadata(ParallelRun run) {
    return new ObjectMetaBuilder(unownedMetadata(run)).withOwnerReferences(controllerReference(run)).build();
  }

  /**
   * Labelled as the run's but owned by nothing, for the Service clients call: an owner reference would let the
   * garbage collector of a foreground deletion remove it before the finalizer hands it over (see
   * {@link ProxyServiceHandover}), which then removes or releases it itself.
   */
  public static ObjectMeta unownedMetadata(ParallelRun run) {
    return new ObjectMetaBuilder()
        .withName(name(run))
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels(run))
        .build();
  }

  /** Whether the object carries the labels {@link #labels} gives the objects of this run. */
  public static boolean labelledAsOf(HasMetadata object, ParallelRun run) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL))
        && run.getMetadata().getName().equals(labels.get(INSTANCE_LABEL));
  }

  /**
   * Written out here rather than left to JOSDK's default, which sets neither controller nor blockOwnerDeletion:
   * controller marks the ParallelRun as the one manager of the object, and blockOwnerDeletion makes a
   * foreground deletion of the ParallelRun wait for its proxy to be gone.
   */
  public static OwnerReference controllerReference(ParallelRun run) {
    return new OwnerReferenceBuilder()
        .withApiVersion(run.getApiVersion())
        .withKind(run.getKind())
        .withName(run.getMetadata().getName())
        .withUid(run.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static int proxyPort(ParallelRun run) {
    ProxySpec proxy = run.getSpec().getProxy();
    return proxy != null && proxy.getPort() != null ? proxy.getPort() : SpecDefaults.PROXY_PORT;
  }

  public static int replicas(ParallelRun run) {
    ProxySpec proxy = run.getSpec().getProxy();
    return proxy != null && proxy.getReplicas() != null ? proxy.getReplicas() : SpecDefaults.PROXY_REPLICAS;
  }
}
