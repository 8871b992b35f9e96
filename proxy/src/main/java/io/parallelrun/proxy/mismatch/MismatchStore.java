package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent mismatch samples per endpoint, in memory only, each kept as its serialised JSON (already
 * bounded by the recorder), so that answering /mismatches only joins strings and never walks a tree.
 */
public final class MismatchStore {
  private final int perEndpoint;
  private final Map<String, ArrayDeque<String>> samples = new ConcurrentHashMap<>();

  public MismatchStore(int perEndpoint) {
    this.perEndpoint = perEndpoint;
  }

  /** @param sampleJson one sample, a JSON object */
  public void add(String endpoint, String sampleJson) {
    if (perEndpoint <= 0) return;
    ArrayDeque<String> q = samples.computeIfAbsent(endpoint, k -> new ArrayDeque<>());
    synchronized (q) {
      if (q.size() >= perEndpoint) q.removeFirst();
      q.addLast(sampleJson);
    }
  }

  /**
   * {"endpoints": {"name": [samples, newest last]}}, at most about {@code maxChars} long: each endpoint gets an
   * equal share, filled with its newest samples, and {"omitted": n} counts the samples left out.
   */
  public String render(long maxChars) {
    Map<String, List<String>> copy = new TreeMap<>();
    samples.forEach((name, q) -> {
      synchronized (q) {
        copy.put(name, new ArrayList<>(q));
      }
    });
    long share = copy.isEmpty() ? 0 : maxChars / copy.size();
    StringBuilder out = new StringBuilder("{\"endpoints\":{");
    int omitted = 0;
    boolean firstEndpoint = true;
    for (Map.Entry<String, List<String>> e : copy.entrySet()) {
      List<String> all = e.getValue();
      int from = all.size();
      long used = 0;
      while (from > 0 && used + all.get(from - 1).length() + 1 <= share) {
        used += all.get(--from).length() + 1;
      }
      omitted += from;
      if (!firstEndpoint) out.append(',');
      firstEndpoint = false;
      out.append(TextNode.valueOf(e.getKey())).append(":[").append(String.join(",", all.subList(from, all.size())))
          .append(']');
    }
    out.append('}');
    if (omitted > 0) out.append(",\"omitted\":").append(omitted);
    return out.append('}').toString();
  }
}
