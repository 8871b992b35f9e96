package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.compare.Comparison;
import io.parallelrun.proxy.compare.Json;
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.exchange.ProxyExchange;
import io.parallelrun.proxy.routing.RoutingTable;
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
 * redacted, rate-limited log line for it. A sample is kept serialised and at most {@code maxSampleBytes} long:
 * a larger diff keeps its operations and paths but loses its values.
 */
public final class MismatchRecorder {
  private static final Logger LOG = LoggerFactory.getLogger("io.parallelrun.proxy.mismatch");
  private static final EnumSet<DiffFlags> FLAGS = EnumSet.of(
      DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.ADD_ORIGINAL_VALUE_ON_REPLACE);
  private static final int MAX_LOGGED_DIFF = 2000;
  public static final int DEFAULT_MAX_SAMPLE_BYTES = 64 * 1024;
  /** ASCII only (JSON escapes for the rest), so that a sample's length in chars is its length in bytes. */
  private static final ObjectWriter ASCII = Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

  /** Diffs are the costly part; the store keeps only the last few per endpoint, so a few a second suffice. */
  static final double SAMPLES_PER_SECOND_PER_ENDPOINT = 10;

  private final MismatchStore store;
  private final RateLimiter logLimit;
  private final int maxSampleBytes;
  private final AtomicLong suppressed = new AtomicLong();
  private final Map<String, RateLimiter> sampleLimits = new ConcurrentHashMap<>();

  public MismatchRecorder(MismatchStore store, RateLimiter logLimit) {
    this(store, logLimit, DEFAULT_MAX_SAMPLE_BYTES);
  }

  public MismatchRecorder(MismatchStore store, RateLimiter logLimit, int maxSampleBytes) {
    this.store = store;
    this.logLimit = logLimit;
    this.maxSampleBytes = maxSampleBytes;
  }

  /**
   * Samples and logs the mismatch of a mirrored exchange. The endpoint's path template is shown instead of the
   * request's path when paths are redacted.
   */
  public void record(ProxyExchange x, Comparison comparison) {
    RoutingTable table = x.table();
    String endpoint = x.route().name();
    String method = x.method();
    Side answeredBy = x.answerSide();
    Redactor redactor = table.redactor();
    String axes = comparison.mismatches().stream().map(MismatchAxis::name).collect(Collectors.joining(","));
    JsonNode diff = null;
    String shownPath = redactor.shownPath(x.path(), x.route().endpoint().path());
    boolean log = logLimit.tryAcquire();
    boolean keepSample = redactor.keepsSamples() && (log || sampleLimits
        .computeIfAbsent(endpoint, k -> new RateLimiter(SAMPLES_PER_SECOND_PER_ENDPOINT, System::nanoTime)).tryAcquire());
    if (keepSample) {
      ObjectNode legacy = redactor.redact(comparison.legacy(), comparison.legacyBody());
      ObjectNode candidate = redactor.redact(comparison.candidate(), comparison.candidateBody());
      diff = JsonDiff.asJson(legacy, candidate, FLAGS);
      ObjectNode sample = JsonNodeFactory.instance.objectNode();
      sample.put("time", Instant.now().toString());
      sample.put("endpoint", endpoint);
      sample.put("method", method);
      sample.put("path", shownPath);
      String shownQuery = redactor.shownQuery(x.query());
      if (shownQuery != null) sample.put("query", shownQuery);
      sample.put("answeredBy", answeredBy.name());
      ArrayNode axesNode = sample.putArray("axes");
      comparison.mismatches().forEach(a -> axesNode.add(a.name()));
      sample.set("diff", diff);
      String json = bounded(sample);
      diff = sample.get("diff");
      store.add(endpoint, json);
    }
    if (log) {
      long skipped = suppressed.getAndSet(0);
      String diffText = diff == null ? "" : diff.toString();
      if (diffText.length() > MAX_LOGGED_DIFF) diffText = diffText.substring(0, MAX_LOGGED_DIFF) + "...";
      LOG.info("mismatch namespace={} parallelrun={} endpoint={} method={} path={} answeredBy={} axes={} suppressed={}{}",
          table.namespace(), table.name(), endpoint, method, quote(shownPath), answeredBy, axes, skipped,
          diff == null ? "" : " diff=" + diffText);
    } else {
      suppressed.incrementAndGet();
    }
  }

  /**
   * The sample serialised, at most maxSampleBytes long: when the diff makes it longer, the diff keeps only each
   * operation and its path (what differed, not the values), and when even that is too long, nothing of it.
   */
  private String bounded(ObjectNode sample) {
    String json = ascii(sample);
    if (json.length() <= maxSampleBytes) return json;
    int full = json.length();
    ArrayNode outline = JsonNodeFactory.instance.arrayNode();
    sample.path("diff").forEach(op ->
        outline.addObject().put("op", op.path("op").asText()).put("path", op.path("path").asText()));
    sample.set("diff", outline);
    String over = "the sample was " + full + " bytes, over --max-sample-bytes " + maxSampleBytes;
    sample.put("diffTruncated", "values left out: " + over);
    json = ascii(sample);
    if (json.length() <= maxSampleBytes) return json;
    sample.set("diff", JsonNodeFactory.instance.arrayNode());
    sample.put("diffTruncated", "left out: " + over);
    return ascii(sample);
  }

  private static String ascii(JsonNode node) {
    try {
      return ASCII.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a mismatch sample could not be serialised", e);
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
