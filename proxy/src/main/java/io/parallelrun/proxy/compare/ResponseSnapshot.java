package io.parallelrun.proxy.compare;

import java.util.List;
import java.util.Map;

/**
 * One side's complete answer, as received (body still content-encoded).
 *
 * @param headers header name (as received) and value pairs, in order, repeated names allowed
 */
public record ResponseSnapshot(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
    }
    return null;
  }
}
