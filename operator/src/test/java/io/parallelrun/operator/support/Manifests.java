package io.parallelrun.operator.support;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.parallelrun.api.AnalysisSpec;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.DefaultsSpec;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.PrometheusSpec;
import io.parallelrun.api.Promotion;
import io.parallelrun.api.ServiceRef;
import io.parallelrun.api.ThresholdSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Small ParallelRun manifests for tests, built in code so each test states only what matters to it. */
public final class Manifests {
  private Manifests() {}

  public static EndpointSpec endpoint(String name, HttpMethod method, String path) {
    EndpointSpec e = new EndpointSpec();
    e.setName(name);
    e.setMethod(method);
    e.setPath(path);
    return e;
  }

  public static EndpointSpec manual(EndpointSpec e) {
    e.setPromotion(Promotion.Manual);
    return e;
  }

  /** legacy/candidate Services, the given threshold and steps as defaults, and the endpoints. */
  public static ParallelRunSpec spec(ThresholdSpec threshold, List<Integer> steps, EndpointSpec... endpoints) {
    ParallelRunSpec spec = new ParallelRunSpec();
    spec.setLegacy(new BackendSpec(new ServiceRef("legacy", 8080), null));
    spec.setCandidate(new BackendSpec(new ServiceRef("candidate", 8080), null));
    DefaultsSpec defaults = new DefaultsSpec();
    defaults.setThreshold(threshold);
    defaults.setSteps(steps);
    spec.setDefaults(defaults);
    spec.setEndpoints(new ArrayList<>(List.of(endpoints)));
    return spec;
  }

  public static ParallelRunSpec withAnalysis(ParallelRunSpec spec, String prometheusUrl, String interval) {
    AnalysisSpec analysis = new AnalysisSpec();
    if (prometheusUrl != null) analysis.setPrometheus(new PrometheusSpec(prometheusUrl));
    analysis.setInterval(interval);
    spec.setAnalysis(analysis);
    return spec;
  }

  public static ParallelRunSpec with(ParallelRunSpec spec, Consumer<ParallelRunSpec> change) {
    change.accept(spec);
    return spec;
  }

  public static ParallelRun run(String namespace, String name, ParallelRunSpec spec) {
    ParallelRun run = new ParallelRun();
    run.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    run.setSpec(spec);
    return run;
  }
}
