package io.parallelrun.operator.act;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.operator.decide.Times;
import io.parallelrun.operator.decide.Transition;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces steps, cutovers, rollbacks and policy refusals as core/v1 Events on the ParallelRun ({@code kubectl describe prun}).
 * Events are a courtesy: failing to record one is logged and never fails the reconciliation.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "parallel-run-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(ParallelRun run, List<Transition> transitions) {
    for (Transition t : transitions) {
      LOG.info("{}/{}: {}", run.getMetadata().getNamespace(), run.getMetadata().getName(), t.message());
      String now = Times.format(clock.instant());
      var event = new EventBuilder()
          .withNewMetadata()
            .withNamespace(run.getMetadata().getNamespace())
            // Same naming scheme as client-go's recorder: <object>.<unique suffix>.
            .withName(run.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(run.getApiVersion())
              .withKind(run.getKind())
              .withNamespace(run.getMetadata().getNamespace())
              .withName(run.getMetadata().getName())
              .withUid(run.getMetadata().getUid())
              .withResourceVersion(run.getMetadata().getResourceVersion())
              .withFieldPath(t.fieldPath())
              .build())
          .withReason(t.reason())
          .withMessage(t.message())
          .withType(t.warning() ? "Warning" : "Normal")
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build();
      try {
        client.v1().events().inNamespace(run.getMetadata().getNamespace()).resource(event).create();
      } catch (KubernetesClientException e) {
        LOG.warn("could not record event {} for {}/{}: {}", t.reason(), run.getMetadata().getNamespace(),
            run.getMetadata().getName(), e.getMessage());
      }
    }
  }
}
