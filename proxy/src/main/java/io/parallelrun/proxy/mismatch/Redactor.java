package io.parallelrun.proxy.mismatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.parallelrun.api.DataProtectionSpec;
import io.parallelrun.api.MismatchSamples;
import com.fasterxml.jackson.databind.node.TextNode;
import io.parallelrun.proxy.compare.BodyView;
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
 *
 * <p>In Redacted mode only what is proven redactable is kept: a body that is not a JSON object or array (text,
 * XML, broken or too deeply nested JSON, binary) is withheld whole, leaving its media type, length and a keyed
 * digest. With redactPaths the request path is shown as the endpoint's template and the query not at all.
 */
public final class Redactor {
  public static final String MARK = "[REDACTED";
  private static final byte[] KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(KEY);
  }
  public static final Set<String> ALWAYS_REDACTED_HEADERS = Set.of("authorization", "cookie", "set-cookie", "proxy-authorization");

  static final String WITHHELD = "body is not a JSON object or array, so redactJsonPaths cannot apply to it";

  private final MismatchSamples mode;
  private final boolean redactsPaths;
  private final Set<String> headers;
  private final List<JsonPath> paths;

  private Redactor(MismatchSamples mode, boolean redactsPaths, Set<String> headers, List<JsonPath> paths) {
    this.mode = mode;
    this.redactsPaths = redactsPaths;
    this.headers = headers;
    this.paths = paths;
  }

  /**
   * @param mode and {@code redactPaths} as resolved by SpecDefaults
   * @param spec the redactJsonPaths and redactHeaders, if any
   */
  public static Redactor of(MismatchSamples mode, boolean redactPaths, DataProtectionSpec spec) {
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
    return new Redactor(mode, redactPaths, Set.copyOf(headers), compiled);
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

  /** The path to show in samples and logs: the endpoint's template when paths are redacted. */
  public String shownPath(String path, String template) {
    return redactsPaths ? template : path;
  }

  /** The query to show in samples, or null: none when anything is redacted. */
  public String shownQuery(String query) {
    return redacts() || redactsPaths ? null : query;
  }

  public boolean redactsHeader(String lowercaseName) {
    return redacts() && headers.contains(lowercaseName);
  }

  static String mark(String value) {
    byte[] h = keyedHash(value.getBytes(StandardCharsets.UTF_8));
    return h == null ? MARK + "]" : MARK + ":" + HexFormat.of().formatHex(h, 0, 4) + "]";
  }

  /** HMAC-SHA256 under the per-process key: a plain digest of a short value (an SSN) is reversed by trying all. */
  private static byte[] keyedHash(byte[] value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      return mac.doFinal(value);
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** What stands in for a body that cannot be redacted: enough to see that, and how, two bodies differ. */
  static ObjectNode withheld(BodyView body) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("withheld", WITHHELD);
    out.put("mediaType", body.mediaType() == null ? "none" : body.mediaType());
    out.put("bytes", body.decoded().length);
    byte[] h = keyedHash(body.decoded());
    out.put("digest", h == null ? "unavailable" : "hmac-sha256:" + HexFormat.of().formatHex(h, 0, 8));
    return out;
  }

  /**
   * @param view {status, headers, body} as built by the comparator
   * @param body what the view holds of the body
   * @return a redacted copy (the view itself when nothing is redacted)
   */
  public ObjectNode redact(ObjectNode view, BodyView body) {
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
    JsonNode shown = out.get("body");
    if (body.form() == BodyView.Form.JSON && shown != null && shown.isContainerNode()) {
      for (JsonPath p : paths) {
        p.map(shown, (value, conf) -> TextNode.valueOf(mark(String.valueOf(value))), Json.PATHS); // edits in place
      }
    } else if (body.form() != BodyView.Form.NONE) {
      out.set("body", withheld(body));
    }
    return out;
  }
}
