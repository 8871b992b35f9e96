package io.parallelrun.operator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Instant queries against the Prometheus HTTP API ({@code GET /api/v1/query}).
 *
 * <p>The URL comes from a tenant's manifest, so the server may be hostile. One deadline covers connecting,
 * the headers and the whole body; the body is capped; redirects are not followed (a 3xx is an error). What a
 * failure says in status comes from a fixed vocabulary ({@link QueryException#statusMessage()}): the remote
 * side's words never reach status, and a refused port, an unroutable address and an open port that speaks no
 * HTTP read the same, so status cannot be used to scan ports. The details go to the log.
 */
public class PrometheusClient {
  /** Far above any honest answer (a sample is ~200 bytes; a ParallelRun has a few dozen), far below the heap. */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 16L << 20;

  /** One element of an instant vector: its labels and its value. */
  public record Sample(Map<String, String> labels, double value) {}

  /**
   * The query did not produce a vector.
   *
   * <p>{@code reason} is a condition reason (QueryFailed, or Timeout when an answer began but did not finish in
   * time), {@link #statusMessage()} a fixed phrase safe for status, {@link #getMessage()} the details for the log.
   */
  public static final class QueryException extends Exception {
    private final String reason;
    private final String statusMessage;
    private final boolean timedOut;

    QueryException(String reason, String statusMessage, String detail, boolean timedOut, Throwable cause) {
      super(detail, cause);
      this.reason = reason;
      this.statusMessage = statusMessage;
      this.timedOut = timedOut;
    }

    /** A failure before any request was sent, e.g. a provider's credentials file that cannot be read. */
    public static QueryException beforeSending(String reason, String statusMessage, String detail, Throwable cause) {
      return new QueryException(reason, statusMessage, detail, false, cause);
    }

    /** The same failure told differently in status (the details for the log and the cause stay). */
    public QueryException withStatus(String reason, String statusMessage) {
      return new QueryException(reason, statusMessage, getMessage(), timedOut, getCause());
    }

    /**
     * Whether the TLS handshake failed (an untrusted or mismatched certificate, no common protocol). Status says
     * so only for a provider the platform team configured: for a URL from a tenant's manifest it would tell an
     * open TLS port from a closed one.
     */
    public boolean tlsHandshakeFailed() {
      for (Throwable t = getCause(); t != null; t = t.getCause()) {
        if (t instanceof javax.net.ssl.SSLHandshakeException) return true;
      }
      return false;
    }

    public String reason() {
      return reason;
    }

    /** From a fixed vocabulary; never carries text from the remote side. */
    public String statusMessage() {
      return statusMessage;
    }

    /** Whether the deadline passed (for the operator's own metrics, not for status). */
    public boolean timedOut() {
      return timedOut;
    }
  }

  static final String UNREACHABLE = "Prometheus unreachable or timed out";
  static final String TIMED_OUT = "timed out";
  static final String TOO_LARGE = "answer too large";
  static final String MALFORMED = "malformed answer";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Remote text quoted in the log is cut to this length. */
  private static final int LOG_QUOTE_MAX = 200;

  private final HttpClient http;
  private final Duration timeout;
  private final long maxAnswerBytes;

  public PrometheusClient(Duration timeout) {
    this(timeout, DEFAULT_MAX_ANSWER_BYTES);
  }

  public PrometheusClient(Duration timeout, long maxAnswerBytes) {
    this(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build(),
        timeout, maxAnswerBytes);
  }

  /** @param http must not follow redirects */
  public PrometheusClient(HttpClient http, Duration timeout, long maxAnswerBytes) {
    this.http = http;
    this.timeout = timeout;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /** @throws IllegalArgumentException when the URL is not an acceptable Prometheus URL */
  public List<Sample> query(String baseUrl, String promQl) throws QueryException {
    return query(PrometheusUrl.parse(baseUrl, "Prometheus URL"), promQl);
  }

  public List<Sample> query(PrometheusUrl base, String promQl) throws QueryException {
    return query(base, Map.of(), promQl);
  }

  /**
   * @param headers sent with the request, e.g. Authorization or X-Scope-OrgID of an analysis provider; names and
   *     values must already be valid (no CR or LF: the JDK client refuses them too, with an exception)
   */
  public List<Sample> query(PrometheusUrl base, Map<String, String> headers, String promQl) throws QueryException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.queryUri(promQl)).timeout(timeout)
        .header("Accept", "application/json");
    headers.forEach(builder::header);
    HttpRequest request = builder.GET().build();
    AtomicBoolean answerBegan = new AtomicBoolean();
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> {
      answerBegan.set(true);
      return new CappedBodySubscriber(maxAnswerBytes);
    });
    HttpResponse<byte[]> response;
    try {
      // The request timeout of the JDK client ends when the headers arrive; this deadline also covers the body.
      response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true); // aborts the exchange and closes its connection
      throw answerBegan.get()
          ? new QueryException("Timeout", TIMED_OUT, base + ": answer not complete within " + timeout.toMillis() + "ms", true, e)
          : new QueryException("QueryFailed", UNREACHABLE, base + ": no answer within " + timeout.toMillis() + "ms", true, e);
    } catch (ExecutionException e) {
      throw failed(base, answerBegan.get(), e.getCause());
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new QueryException("QueryFailed", "interrupted", "interrupted while querying " + base, false, e);
    }
    return parse(base, response.statusCode(), response.body());
  }

  private QueryException failed(PrometheusUrl base, boolean answerBegan, Throwable cause) {
    if (cause instanceof CappedBodySubscriber.TooLargeException) {
      return new QueryException("QueryFailed", TOO_LARGE, base + ": answer larger than " + maxAnswerBytes + " bytes", false, cause);
    }
    String detail = base + ": " + cause.getClass().getSimpleName() + " " + quote(String.valueOf(cause.getMessage()));
    boolean timedOut = cause instanceof java.net.http.HttpTimeoutException;
    // Before the answer began, every failure reads the same (refused, unroutable, reset, timed out): see the class.
    return answerBegan
        ? new QueryException("QueryFailed", MALFORMED, detail, timedOut, cause)
        : new QueryException("QueryFailed", UNREACHABLE, detail, timedOut, cause);
  }

  static List<Sample> parse(PrometheusUrl base, int statusCode, byte[] body) throws QueryException {
    if (statusCode != 200) {
      throw new QueryException("QueryFailed", "Prometheus answered HTTP " + statusCode,
          base + " answered HTTP " + statusCode + ": " + quote(new String(body, StandardCharsets.UTF_8)), false, null);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed(base, "a body that is not JSON: " + quote(new String(body, StandardCharsets.UTF_8)), e);
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      throw malformed(base, "status " + quote(root == null ? "" : root.path("status").asText()) + ", "
          + quote(root == null ? "" : root.path("errorType").asText("") + " " + root.path("error").asText("")), null);
    }
    JsonNode data = root.path("data");
    if (!"vector".equals(data.path("resultType").asText())) {
      throw malformed(base, "resultType " + quote(data.path("resultType").asText()) + " instead of vector", null);
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode element : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      element.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
      // value is [ <unix time>, "<number as string>" ]; Prometheus writes NaN and +Inf as strings too.
      double value = parseValue(element.path("value").path(1).asText("NaN"));
      samples.add(new Sample(labels, value));
    }
    return samples;
  }

  private static QueryException malformed(PrometheusUrl base, String detail, Throwable cause) {
    return new QueryException("QueryFailed", MALFORMED, base + " answered " + detail, false, cause);
  }

  private static double parseValue(String text) {
    try {
      return Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Remote text for the log: shortened, and on one line so that it cannot forge log lines. */
  private static String quote(String text) {
    String oneLine = text.replaceAll("\\p{Cntrl}", "?");
    return "'" + (oneLine.length() > LOG_QUOTE_MAX ? oneLine.substring(0, LOG_QUOTE_MAX) + "..." : oneLine) + "'";
  }
}
