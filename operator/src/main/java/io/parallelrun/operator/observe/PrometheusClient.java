package io.parallelrun.operator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Instant queries against the Prometheus HTTP API ({@code GET /api/v1/query}). */
public class PrometheusClient {
  /** One element of an instant vector: its labels and its value. */
  public record Sample(Map<String, String> labels, double value) {}

  /** The query did not produce a vector. {@code reason} is a condition reason (QueryFailed or Timeout). */
  public static final class QueryException extends Exception {
    private final String reason;

    public QueryException(String reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public PrometheusClient(Duration timeout) {
    this(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build(), timeout);
  }

  public PrometheusClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  public List<Sample> query(String baseUrl, String promQl) throws QueryException {
    URI uri = URI.create(stripTrailingSlash(baseUrl) + "/api/v1/query?query="
        + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new QueryException("Timeout", "Prometheus at " + baseUrl + " did not answer within " + timeout.toMillis() + "ms", e);
    } catch (IOException e) {
      throw new QueryException("QueryFailed", "cannot reach Prometheus at " + baseUrl + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException("QueryFailed", "interrupted while querying Prometheus", e);
    }
    return parse(baseUrl, response.statusCode(), response.body());
  }

  static List<Sample> parse(String baseUrl, int statusCode, String body) throws QueryException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new QueryException("QueryFailed", "Prometheus at " + baseUrl + " answered HTTP " + statusCode + " with a body that is not JSON", e);
    }
    if (statusCode != 200 || !"success".equals(root.path("status").asText())) {
      throw new QueryException("QueryFailed", "Prometheus at " + baseUrl + " answered HTTP " + statusCode + ": "
          + root.path("errorType").asText("") + " " + root.path("error").asText(""), null);
    }
    JsonNode data = root.path("data");
    if (!"vector".equals(data.path("resultType").asText())) {
      throw new QueryException("QueryFailed", "expected an instant vector from Prometheus, got " + data.path("resultType").asText(), null);
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

  private static double parseValue(String text) {
    try {
      return Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
