package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import io.parallelrun.api.DataProtectionSpec;
import io.parallelrun.api.MismatchSamples;
import com.fasterxml.jackson.databind.node.TextNode;
import io.parallelrun.proxy.compare.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies spec.dataProtection to a compared answer before any of it is kept or logged. A redacted value becomes
 * {@code [REDACTED:xxxxxxxx]}, a keyed hash under a random per-process key: equal values look equal and different
 * values different (so a diff still shows that a redacted field differed), but the value cannot be recovered.
 */
public final class Redactor {
  public static final String MARK = "[REDACTED";
  private static final byte[] KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(KEY);
  }
  public static final Set<String> ALWAYS_REDACTED_HEADERS = Set.of("authorization", "cookie", "set-cookie", "proxy-authorization");

  private final MismatchSamples mode;
  private final Set<String> headers;
  private final List<JsonPath> paths;

  private Redactor(MismatchSamples mode, Set<String> headers, List<JsonPath> paths) {
    this.mode = mode;
    this.headers = headers;
    this.paths = paths;
  }

  public static Redactor of(MismatchSamples mode, DataProtectionSpec spec) {
    Set<String> headers = new HashSet<>(ALWAYS_REDACTED_HEADERS);
    List<String> paths = List.of();
    if (spec != null) {
      if (spec.getRedactHeaders() != null) spec.getRedactHeaders().forEach(h -> headers.add(h.trim().toLowerCase(Locale.ROOT)));
      if (spec.getRedactJsonPaths() != null) paths = spec.getRedactJsonPaths();
    }
    List<JsonPath> compiled;
    try {
      compiled = Json.compile(paths);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redactJsonPaths: " + e.getMessage(), e);
    }
    return new Redactor(mode, Set.copyOf(headers), compiled);
  }

  public MismatchSamples mode() {
    return mode;
  }

  public boolean keepsSamples() {
    return mode != MismatchSamples.None;
  }

  public boolean redacts() {
    return mode == MismatchSamples.Redacted;
  }

  public boolean redactsHeader(String lowercaseName) {
    return redacts() && headers.contains(lowercaseName);
  }

  static String mark(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return MARK + ":" + HexFormat.of().formatHex(h, 0, 4) + "]";
    } catch (GeneralSecurityException e) {
      return MARK + "]";
    }
  }

  /** @param view {status, headers, body} as built by the comparator; returns a redacted copy. */
  public ObjectNode redact(ObjectNode view) {
    if (!redacts()) return view;
    ObjectNode out = view.deepCopy();
    JsonNode hs = out.get("headers");
    if (hs instanceof ObjectNode h) {
      for (String name : headers) {
        JsonNode values = h.get(name);
        if (values instanceof ArrayNode arr) {
          for (int i = 0; i < arr.size(); i++) arr.set(i, mark(arr.get(i).asText()));
        }
      }
    }
    JsonNode body = out.get("body");
    if (body != null && body.isContainerNode()) {
      for (JsonPath p : paths) {
        p.map(body, (value, conf) -> TextNode.valueOf(mark(String.valueOf(value))), Json.PATHS); // edits in place
      }
    }
    return out;
  }
}
