package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import io.parallelrun.proxy.compare.Comparison;
import io.parallelrun.proxy.config.RoutingTable;
import io.parallelrun.proxy.metrics.MismatchAxis;
import io.parallelrun.proxy.routing.Side;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a redacted JSON-Patch diff (legacy to candidate) of each mismatch and writes one structured,
 * redacted, rate-limited log line for it.
 */
public final class MismatchRecorder {
  private static final Logger LOG = LoggerFactory.getLogger("io.parallelrun.proxy.mismatch");
  private static final EnumSet<DiffFlags> FLAGS = EnumSet.of(
      DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.ADD_ORIGINAL_VALUE_ON_REPLACE);
  private static final int MAX_LOGGED_DIFF = 2000;

  /** Diffs are the costly part; the store keeps only the last few per endpoint, so a few a second suffice. */
  static final double SAMPLES_PER_SECOND_PER_ENDPOINT = 10;

  private final MismatchStore store;
  private final RateLimiter logLimit;
  private final AtomicLong suppressed = new AtomicLong();
  private final Map<String, RateLimiter> sampleLimits = new ConcurrentHashMap<>();

  public MismatchRecorder(MismatchStore store, RateLimiter logLimit) {
    this.store = store;
    this.logLimit = logLimit;
  }

  public void record(RoutingTable table, String endpoint, String method, String path, String query,
      Side answeredBy, Comparison comparison) {
    Redactor redactor = table.redactor();
    String axes = comparison.mismatches().stream().map(MismatchAxis::name).collect(Collectors.joining(","));
    JsonNode diff = null;
    boolean log = logLimit.tryAcquire();
    boolean keepSample = redactor.keepsSamples() && (log || sampleLimits
        .computeIfAbsent(endpoint, k -> new RateLimiter(SAMPLES_PER_SECOND_PER_ENDPOINT, System::nanoTime)).tryAcquire());
    if (keepSample) {
      ObjectNode legacy = redactor.redact(comparison.legacy());
      ObjectNode candidate = redactor.redact(comparison.candidate());
      diff = JsonDiff.asJson(legacy, candidate, FLAGS);
      ObjectNode sample = JsonNodeFactory.instance.objectNode();
      sample.put("time", Instant.now().toString());
      sample.put("endpoint", endpoint);
      sample.put("method", method);
      sample.put("path", path);
      if (!redactor.redacts() && query != null) sample.put("query", query);
      sample.put("answeredBy", answeredBy.name());
      ArrayNode axesNode = sample.putArray("axes");
      comparison.mismatches().forEach(a -> axesNode.add(a.name()));
      sample.set("diff", diff);
      store.add(endpoint, sample);
    }
    if (log) {
      long skipped = suppressed.getAndSet(0);
      String diffText = diff == null ? "" : diff.toString();
      if (diffText.length() > MAX_LOGGED_DIFF) diffText = diffText.substring(0, MAX_LOGGED_DIFF) + "...";
      LOG.info("mismatch namespace={} parallelrun={} endpoint={} method={} path={} answeredBy={} axes={} suppressed={}{}",
          table.namespace(), table.name(), endpoint, method, quote(path), answeredBy, axes, skipped,
          diff == null ? "" : " diff=" + diffText);
    } else {
      suppressed.incrementAndGet();
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
