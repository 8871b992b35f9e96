package io.parallelrun.proxy.source;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.proxy.manifest.ManifestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-cluster mode: keeps the routing table in step with one ParallelRun, read and watched (an informer on
 * that object only, so it needs get, list and watch on it). A bad change is logged and the last good table
 * stays in place.
 */
public final class KubernetesWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWatch.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final String name;
  private final TableHolder tables;
  private SharedIndexInformer<ParallelRun> informer;

  public KubernetesWatch(KubernetesClient client, boolean ownsClient, String namespace, String name, TableHolder tables) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.namespace = namespace;
    this.name = name;
    this.tables = tables;
  }

  public static KubernetesWatch withDefaultConfig(String namespace, String name, TableHolder tables) {
    return new KubernetesWatch(new KubernetesClientBuilder().build(), true, namespace, name, tables);
  }

  /** Starts the informer without blocking; the first table arrives with the initial list (readyz until then 503). */
  public void start() {
    informer = client.resources(ParallelRun.class).inNamespace(namespace).withName(name).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ParallelRun run) {
        apply(run);
      }

      @Override
      public void onUpdate(ParallelRun oldRun, ParallelRun newRun) {
        apply(newRun);
      }

      @Override
      public void onDelete(ParallelRun run, boolean unknownFinalState) {
        LOG.warn("ParallelRun {}/{} was deleted; keeping the last routing table", namespace, name);
      }
    });
    informer.start().whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.error("watching ParallelRun {}/{} failed: {}", namespace, name, failure.toString());
      } else {
        LOG.info("watching ParallelRun {}/{}", namespace, name);
      }
    });
  }

  private void apply(ParallelRun run) {
    try {
      var table = tables.apply(run);
      LOG.info("routing table updated from ParallelRun {}/{} (resourceVersion {}): {} endpoints, weights {}",
          namespace, name, run.getMetadata().getResourceVersion(), table.routes().size(),
          table.routes().stream().map(r -> r.name() + "=" + r.weight()).toList());
    } catch (ManifestException e) {
      LOG.error("ParallelRun {}/{} not applied, keeping the last routing table: {}", namespace, name, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (informer != null) informer.close();
    if (ownsClient) client.close();
  }
}
