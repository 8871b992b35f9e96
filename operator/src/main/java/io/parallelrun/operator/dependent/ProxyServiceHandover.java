package io.parallelrun.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.Phase;
import io.parallelrun.operator.decide.Transition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a ParallelRun is deleted, clients still call {@code <name>-proxy}. Deleting that Service with the run is an
 * outage by {@code kubectl delete}. Instead the Service is kept, released from the run, and pointed at a real
 * backend: the candidate once the run is Completed, legacy otherwise. That needs the backend to be a
 * {@code service:} with a selector, whose pods the Service can select directly; for a {@code url:} backend the
 * Service is deleted with the run, and a Warning Event says so.
 *
 * <p>The Service has no owner reference (only the run's labels), so the garbage collector never deletes it: in a
 * foreground deletion it would, at the same time as this handover runs. Deleting it when it cannot be handed over
 * is therefore this class's job. A Service made by an operator version that still set an owner reference is
 * released the same way.
 */
public final class ProxyServiceHandover {
  public static final String HANDED_OVER_TO = "parallelrun.io/handed-over-to";
  public static final String HANDED_OVER_FROM = "parallelrun.io/handed-over-from";
  public static final String HANDED_OVER = "ServiceHandedOver";
  public static final String NOT_HANDED_OVER = "ServiceRemoved";

  private final KubernetesClient client;

  public ProxyServiceHandover(KubernetesClient client) {
    this.client = client;
  }

  /** Which backend the clients of a deleted run should reach: the candidate if it answers everything, else legacy. */
  static BackendSpec target(ParallelRun run) {
    boolean completed = run.getStatus() != null && run.getStatus().getPhase() == Phase.Completed;
    return completed ? run.getSpec().getCandidate() : run.getSpec().getLegacy();
  }

  /** Hands the run's proxy Service over to its target backend; returns what to announce. */
  public Optional<Transition> handOver(ParallelRun run) {
    String namespace = run.getMetadata().getNamespace();
    String proxyName = ProxyObjects.name(run);
    Service proxy = client.services().inNamespace(namespace).withName(proxyName).get();
    // Not the run's (any more): someone else's Service of that name, or one handed over already.
    if (proxy == null || !ProxyObjects.labelledAsOf(proxy, run)) return Optional.empty();
    BackendSpec target = target(run);
    String side = target == run.getSpec().getCandidate() ? "candidate" : "legacy";
    if (target.getService() == null) {
      return Optional.of(remove(proxy, "the " + side + " is a url: backend, which no Service can select"));
    }
    Service backend = client.services().inNamespace(namespace).withName(target.getService().getName()).get();
    if (backend == null || backend.getSpec().getSelector() == null || backend.getSpec().getSelector().isEmpty()) {
      return Optional.of(remove(proxy, "the " + side + " Service " + target.getService().getName()
          + (backend == null ? " does not exist" : " selects no pods")));
    }
    IntOrString targetPort = targetPort(backend, target.getService().getPort());
    if (targetPort == null) {
      return Optional.of(remove(proxy, "the " + side + " Service " + backend.getMetadata().getName()
          + " has no port " + target.getService().getPort()));
    }
    client.services().inNamespace(namespace).withName(proxyName).edit(s -> {
      // Set by operator versions before the Service went unowned; the garbage collector must leave it now.
      s.getMetadata().setOwnerReferences(List.of());
      Map<String, String> labels = new HashMap<>(s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels());
      // No longer the operator's: a new ParallelRun of the same name adopts it again by server-side apply.
      labels.remove(ProxyObjects.MANAGED_BY_LABEL);
      s.getMetadata().setLabels(labels);
      Map<String, String> annotations = new HashMap<>(s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations());
      annotations.put(HANDED_OVER_TO, "service/" + backend.getMetadata().getName());
      annotations.put(HANDED_OVER_FROM, "parallelrun/" + run.getMetadata().getName());
      s.getMetadata().setAnnotations(annotations);
      s.getSpec().setSelector(backend.getSpec().getSelector());
      // The client port only: a Service from before the admin port left it must not send 9901 to the backend.
      s.getSpec().setPorts(s.getSpec().getPorts().stream()
          .filter(p -> ProxyObjects.HTTP_PORT_NAME.equals(p.getName())).toList());
      s.getSpec().getPorts().forEach(p -> p.setTargetPort(targetPort));
      return s;
    });
    return Optional.of(new Transition(null, HANDED_OVER, false, "Service " + proxyName + " kept and pointed at the "
        + side + " (the pods of Service " + backend.getMetadata().getName() + "): its clients go on being served; "
        + "delete it once they call " + backend.getMetadata().getName() + " directly", "metadata"));
  }

  /**
   * Deletes the run's proxy Service when it cannot be handed over, even after an unexpected failure: nothing else
   * will, and a Service left selecting the deleted proxy's pods would refuse every client.
   */
  public void remove(ParallelRun run) {
    Service proxy = client.services().inNamespace(run.getMetadata().getNamespace()).withName(ProxyObjects.name(run)).get();
    if (proxy != null && ProxyObjects.labelledAsOf(proxy, run)) client.resource(proxy).delete();
  }

  /**
   * The pods' port behind the backend Service's port the run names; null when the Service has no such port. A
   * headless Service without ports passes the run's port through to the pods unchanged.
   */
  static IntOrString targetPort(Service backend, Integer port) {
    List<ServicePort> ports = backend.getSpec().getPorts() == null ? List.of() : backend.getSpec().getPorts();
    if (ports.isEmpty()) return port == null ? null : new IntOrString(port);
    ServicePort chosen = ports.stream().filter(p -> port != null && port.equals(p.getPort())).findFirst()
        .orElse(port == null && ports.size() == 1 ? ports.get(0) : null);
    if (chosen == null) return null;
    return chosen.getTargetPort() != null ? chosen.getTargetPort() : new IntOrString(chosen.getPort());
  }

  private Transition remove(Service proxy, String why) {
    client.resource(proxy).delete();
    return new Transition(null, NOT_HANDED_OVER, true, "Service " + proxy.getMetadata().getName() + " is removed with the run: " + why
        + "; point clients at a real Service before deleting a ParallelRun", "metadata");
  }
}
