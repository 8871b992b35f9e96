package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The most recent mismatch samples per endpoint, in memory only. */
public final class MismatchStore {
  private final int perEndpoint;
  private final Map<String, ArrayDeque<ObjectNode>> samples = new ConcurrentHashMap<>();

  public MismatchStore(int perEndpoint) {
    this.perEndpoint = perEndpoint;
  }

  public void add(String endpoint, ObjectNode sample) {
    if (perEndpoint <= 0) return;
    ArrayDeque<ObjectNode> q = samples.computeIfAbsent(endpoint, k -> new ArrayDeque<>());
    synchronized (q) {
      if (q.size() >= perEndpoint) q.removeFirst();
      q.addLast(sample);
    }
  }

  /** {"endpoints": {"name": [samples, newest last]}}. */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode eps = root.putObject("endpoints");
    new TreeMap<>(samples).forEach((name, q) -> {
      ArrayNode arr = eps.putArray(name);
      synchronized (q) {
        q.forEach(arr::add);
      }
    });
    return root;
  }
}
