package io.parallelrun.examples;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client traffic through the proxy, as the returns API's users would send it: a few concurrent clients at a
 * steady pace, counting every answer. The sample legacy app answers every one of these requests with 2xx, so
 * any 5xx or transport error is an error that legacy alone would not have produced.
 *
 * <p>Runs in the end-to-end tests' JVM, or as a pod ({@code SampleReturnsApp --drive URL}) that serves its counts
 * as JSON at {@code /stats}.
 */
public final class ReturnsTraffic implements AutoCloseable {
  record Call(String endpoint, String method, String path) {}

  public static final List<Call> RETURNS_API = List.of(
      new Call("list-returns", "GET", "/api/returns"),
      new Call("get-return", "GET", "/api/returns/%d"),
      new Call("return-label", "GET", "/api/returns/%d/label"),
      new Call("refund-status", "GET", "/api/returns/%d/refund"),
      new Call("return-history", "GET", "/api/returns/%d/history"),
      new Call("create-return", "POST", "/api/returns"),
      new Call("return-reasons", "GET", "/api/return-reasons/all"));

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;
  private final Duration pause;
  private final ExecutorService clients;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();
  private static final int CONNECT_ATTEMPTS = 3;
  private static final Duration CONNECT_RETRY_PAUSE = Duration.ofMillis(200);

  public ReturnsTraffic(String baseUrl, int clientCount, Duration pause) {
    this.baseUrl = baseUrl;
    this.pause = pause;
    this.clients = Executors.newFixedThreadPool(clientCount);
    for (int c = 0; c < clientCount; c++) {
      int offset = c;
      clients.submit(() -> loop(offset));
    }
  }

  private void loop(int offset) {
    long n = offset;
    while (running.get()) {
      Call call = RETURNS_API.get((int) (n % RETURNS_API.size()));
      send(call, 1 + n % 50);
      n++;
      try {
        Thread.sleep(pause.toMillis()); // pacing, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void send(Call call, long id) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + call.path().formatted(id)))
        .timeout(Duration.ofSeconds(10));
    if (call.method().equals("POST")) {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":" + id + ",\"reason\":\"WRONG_SIZE\"}"));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 500) {
          count(errors, call.endpoint());
          lastError.put(call.endpoint(), "HTTP " + response.statusCode() + " " + new String(response.body()));
        } else {
          count(ok, call.endpoint());
        }
        return;
      } catch (ConnectException e) {
        // Refused before anything was sent (a Service whose endpoints are being updated, for well under a
        // second): any client may try again, as real HTTP clients and service meshes do.
        if (attempt < CONNECT_ATTEMPTS && running.get()) {
          retries.incrementAndGet();
          pause(CONNECT_RETRY_PAUSE);
          continue;
        }
        failed(call, e);
        return;
      } catch (IOException e) {
        failed(call, e);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void failed(Call call, IOException e) {
    if (running.get()) {
      count(errors, call.endpoint());
      lastError.put(call.endpoint(), e.toString());
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void count(Map<String, AtomicLong> counts, String endpoint) {
    counts.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
  }

  public long okCount() {
    return ok.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public String summary() {
    Map<String, String> lines = new TreeMap<>();
    RETURNS_API.forEach(c -> lines.put(c.endpoint(), "ok=" + ok.getOrDefault(c.endpoint(), new AtomicLong()).get()
        + " errors=" + errors.getOrDefault(c.endpoint(), new AtomicLong()).get()
        + (lastError.containsKey(c.endpoint()) ? " last error: " + lastError.get(c.endpoint()) : "")));
    return lines.toString();
  }

  /** The counts as JSON, for {@code /stats}: {"ok": N, "errors": N, "connectRetries": N, "summary": "..."}. */
  public String statsJson() {
    return "{\"ok\":" + okCount() + ",\"errors\":" + errorCount() + ",\"connectRetries\":" + retries.get()
        + ",\"summary\":\""
        + summary().replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ") + "\"}";
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    clients.shutdownNow();
    clients.awaitTermination(15, TimeUnit.SECONDS);
  }
}
