package io.parallelrun.bench;

/** The benchmarks' answer bodies: a JSON list of items, as an API of the migrated kind returns them. */
final class JsonItems {
  private JsonItems() {}

  /** {"items":[{"id":0,...},...],"total":N} with as many items as it takes to reach {@code size} bytes. */
  static String ofAtLeast(int size) {
    StringBuilder items = new StringBuilder();
    for (int n = 0; ; n++) {
      if (n > 0) items.append(", ");
      items.append("{\"id\": ").append(n).append(", \"name\": \"item-").append(n)
          .append("\", \"price\": 12.5, \"tags\": [\"a\", \"b\"]}");
      String doc = "{\"items\": [" + items + "], \"total\": " + (n + 1) + "}";
      if (doc.length() >= size) return doc;
    }
  }
}
