package io.parallelrun.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's two implementations of the "returns" API (see examples/returns.yaml), one program:
 * {@code --flavor legacy} is the order monolith, {@code --flavor candidate} the new returns service.
 *
 * <p>The candidate differs on purpose, in ways the comparator must tell apart:
 * <ul>
 *   <li>volatile fields ({@code generatedAt}, {@code updatedAt}) differ on every response — ignored by rules;</li>
 *   <li>list items come in another order and amounts are formatted differently (19.9 vs 19.90) — equal
 *       semantically;</li>
 *   <li>one real bug: {@code GET /api/return-reasons/**} forgets the DAMAGED reason — a true mismatch that must
 *       keep that endpoint on legacy;</li>
 *   <li>noise that no rule lists: both flavors stamp every answer with the time it was served
 *       ({@code X-Served-At}), so even legacy's answers to one request differ from each other; the proxy's noise
 *       probes find it (comparator.noise), where a rule would have had to be guessed;</li>
 *   <li>one slow but correct endpoint: {@code GET /api/returns/{id}/history} answers exactly as legacy does, but
 *       {@link #HISTORY_DELAY_MS} later — its latency gate must keep it on legacy.</li>
 * </ul>
 *
 * <p>{@code --drive URL} runs the demo's clients instead ({@link ReturnsTraffic}) against URL and serves their
 * counts at {@code /stats} on {@code --listen}.
 */
public final class SampleReturnsApp {
  /**
   * How much later the candidate answers the return history: far beyond a p99 gate of 1.5x even when a busy node
   * inflates legacy's own p99 (40 ms let the ratio fall to 1.5x on two shared cores).
   */
  static final int HISTORY_DELAY_MS = 200;
  private final boolean candidate;
  private final AtomicInteger created = new AtomicInteger();

  private SampleReturnsApp(boolean candidate) {
    this.candidate = candidate;
  }

  public static void main(String[] args) throws IOException {
    String flavor = "legacy";
    String listen = "127.0.0.1:18081";
    String drive = null;
    int clients = 4;
    int pauseMillis = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--flavor" -> flavor = args[++i];
        case "--listen" -> listen = args[++i];
        case "--drive" -> drive = args[++i];
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--pause-ms" -> pauseMillis = Integer.parseInt(args[++i]);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (drive != null) {
      ReturnsTraffic traffic = new ReturnsTraffic(drive, clients, java.time.Duration.ofMillis(pauseMillis));
      HttpServer stats = HttpServer.create(address(listen), 16);
      stats.createContext("/stats", exchange -> {
        try (exchange) {
          json(exchange, 200, traffic.statsJson());
        }
      });
      stats.start();
      System.out.println("driving " + clients + " clients against " + drive + "; counts at " + listen + "/stats");
      return;
    }
    if (!flavor.equals("legacy") && !flavor.equals("candidate")) {
      usage("--flavor must be legacy or candidate, not " + flavor);
    }
    HttpServer server = HttpServer.create(address(listen), 512);
    server.createContext("/", new SampleReturnsApp(flavor.equals("candidate"))::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    System.out.println("sample returns app (" + flavor + ") listening on " + listen);
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static void usage(String problem) {
    System.err.println(problem + "\nusage: SampleReturnsApp --flavor legacy|candidate [--listen HOST:PORT]\n"
        + "       SampleReturnsApp --drive URL [--clients N] [--pause-ms MS] [--listen HOST:PORT]");
    System.exit(2);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String[] parts = exchange.getRequestURI().getPath().split("/");
      exchange.getResponseHeaders().add("X-Backend-Version", candidate ? "returns-service/2.0" : "monolith/7.4");
      exchange.getResponseHeaders().add("X-Served-At", Instant.now().toString()); // noise: differs on every call
      if (method.equals("GET") && path(parts, "api", "returns")) {
        json(exchange, 200, listReturns());
      } else if (method.equals("POST") && path(parts, "api", "returns")) {
        json(exchange, 201, returnJson(1000 + created.incrementAndGet()));
      } else if (method.equals("GET") && parts.length == 4 && parts[1].equals("api") && parts[2].equals("returns")) {
        json(exchange, 200, returnJson(id(parts[3])));
      } else if (method.equals("GET") && parts.length == 5 && parts[2].equals("returns") && parts[4].equals("label")) {
        exchange.getResponseHeaders().add("Content-Type", "application/pdf");
        send(exchange, 200, ("%PDF-1.4 return label " + id(parts[3]) + "\n%%EOF").getBytes(StandardCharsets.US_ASCII));
      } else if (method.equals("GET") && parts.length == 5 && parts[2].equals("returns") && parts[4].equals("refund")) {
        long id = id(parts[3]);
        json(exchange, 200, "{\"returnId\":" + id + ",\"refund\":{\"state\":\"" + (id % 2 == 0 ? "PAID" : "PENDING")
            + "\",\"amount\":" + amount(id) + ",\"currency\":\"EUR\"}}");
      } else if (method.equals("GET") && parts.length == 5 && parts[2].equals("returns") && parts[4].equals("history")) {
        long id = id(parts[3]);
        if (candidate) {
          Thread.sleep(HISTORY_DELAY_MS); // Correct, but slow: the N+1 query the new service has not fixed yet.
        }
        json(exchange, 200, "{\"returnId\":" + id + ",\"events\":[\"REQUESTED\",\"RECEIVED\""
            + (id % 2 == 0 ? ",\"REFUNDED\"" : "") + "]}");
      } else if (method.equals("GET") && parts.length >= 3 && parts[2].equals("return-reasons")) {
        List<String> reasons = new ArrayList<>(List.of("\"WRONG_SIZE\"", "\"NOT_AS_DESCRIBED\"", "\"CHANGED_MIND\""));
        if (!candidate) {
          reasons.add(1, "\"DAMAGED\""); // The candidate's deliberate bug: it forgot this reason.
        }
        json(exchange, 200, "{\"reasons\":[" + String.join(",", reasons) + "]}");
      } else {
        json(exchange, 404, "{\"error\":\"not found\"}");
      }
    } catch (NumberFormatException e) {
      json(exchange, 400, "{\"error\":\"bad id\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      json(exchange, 503, "{\"error\":\"shutting down\"}");
    }
  }

  private String listReturns() {
    List<String> items = new ArrayList<>();
    for (long id = 1; id <= 5; id++) {
      items.add(candidate ? 0 : items.size(), "{\"id\":" + id + ",\"status\":\"OPEN\"}");
    }
    return "{\"generatedAt\":\"" + Instant.now() + "\",\"items\":[" + String.join(",", items) + "]}";
  }

  private String returnJson(long id) {
    return "{\"id\":" + id + ",\"status\":\"OPEN\",\"amount\":" + amount(id)
        + ",\"customer\":{\"email\":\"customer" + id + "@example.com\"},\"updatedAt\":\"" + Instant.now() + "\"}";
  }

  /** The monolith prints two decimals, the candidate the shortest form: equal numbers, different text. */
  private String amount(long id) {
    double value = 10 + (id % 10) * 1.5;
    return candidate ? Double.toString(value) : String.format(Locale.ROOT, "%.2f", value);
  }

  private static boolean path(String[] parts, String... expected) {
    if (parts.length != expected.length + 1) return false;
    for (int i = 0; i < expected.length; i++) {
      if (!parts[i + 1].equals(expected[i])) return false;
    }
    return true;
  }

  private static long id(String text) {
    return Long.parseLong(text);
  }

  private static void json(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
