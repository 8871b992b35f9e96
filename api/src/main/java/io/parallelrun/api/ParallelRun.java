package io.parallelrun.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A parallel run: legacy and candidate implementations of one service answering side by side behind the
 * mirroring proxy, with routes flipped to the candidate endpoint by endpoint once its answers match.
 *
 * <p>This class is the single source of the CRD in {@code crds/}; regenerate with
 * {@code mvn -pl api test -Dcrd.update=true} after changing the model.
 */
@Group(ParallelRun.GROUP)
@Version(ParallelRun.VERSION)
@Kind("ParallelRun")
@Plural("parallelruns")
@Singular("parallelrun")
@ShortNames("prun")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Cut-Over", jsonPath = ".status.cutOver", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Legacy", jsonPath = ".status.legacy", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Candidate", jsonPath = ".status.candidate", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ParallelRun extends CustomResource<ParallelRunSpec, ParallelRunStatus> implements Namespaced {
  public static final String GROUP = "parallelrun.io";
  public static final String VERSION = "v1alpha1";

  /** Annotation listing endpoint names (comma-separated) whose promotion a person approved. */
  public static final String APPROVE_ANNOTATION = GROUP + "/approve";
  /** Annotation listing endpoint names (comma-separated, or "*") to send back to legacy at once. */
  public static final String ROLLBACK_ANNOTATION = GROUP + "/rollback";
}
