package io.parallelrun.operator.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in Prometheus on 127.0.0.1 for the tests that count the observer's queries: it records every query's text,
 * in order, and answers each as {@code answers} says.
 */
final class RecordingPrometheus implements AutoCloseable {
  /** An HTTP status and the JSON body to answer with. */
  record Reply(int status, String body) {
    static Reply ok(String body) {
      return new Reply(200, body);
    }

    static final Reply ERROR = new Reply(500, "{\"status\":\"error\",\"error\":\"boom\"}");
  }

  final List<String> queries = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  /** @param answers the reply to a query's text */
  RecordingPrometheus(Function<String, Reply> answers) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/query", ex -> answer(ex, answers));
    server.start();
  }

  /** The base URL, for spec.analysis.prometheus.url. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void answer(HttpExchange ex, Function<String, Reply> answers) throws IOException {
    String query = URLDecoder.decode(URI.create("http://x" + ex.getRequestURI()).getRawQuery().substring("query=".length()),
        StandardCharsets.UTF_8);
    queries.add(query);
    Reply reply = answers.apply(query);
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
