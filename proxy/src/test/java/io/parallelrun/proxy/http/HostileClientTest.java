package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to make the proxy and its backends disagree about a request, or to hold its memory and
 * connections: request splitting over h2c, control characters in h2 header values, dot segments and encoded
 * separators, hop-by-hop tricks, bodies declared but never sent, and slowloris on both ports.
 */
class HostileClientTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: preflight
          method: OPTIONS
          path: /**
        - name: search
          method: POST
          path: /api/search/**
          mirror: true
        - name: create-order
          method: POST
          path: /api/orders
        - name: get-item
          method: GET
          path: /api/items/{id}
      """;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  private void start(String... flags) throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""), flags);
  }

  // --- 1. request targets -------------------------------------------------------------------------------------

  @Test
  void anH2cPathThatSmugglesASecondRequestIsA400AndReachesNoBackend() throws Exception {
    start();
    String smuggled = "/x HTTP/1.1\r\nHost: a\r\n\r\nPOST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\nOPTIONS /y";
    Answer a = h2("OPTIONS", smuggled, Map.of());
    assertThat(a.status).isEqualTo(400);
    assertThat(a.body).contains("request target");

    assertNothingReachedTheBackendsBeforeAMarker();
  }

  @Test
  void h2PathsWithSpacesControlCharactersOrCharactersOutsideRfc3986AreRefused() throws Exception {
    start();
    for (String path : List.of("/api/items/a b", "/api/items/a\u0000b", "/api/items/a\u0001b", "/api/items/a\u007fb",
        "/api/items/a\"b", "/api/items/<b>", "/api/items/a%zzb", "/api/items/a%2", "api/items/1", "*")) {
      Answer a = h2("GET", path, Map.of());
      assertThat(a.status).as("GET %s", path.replace("\u0000", "\\0")).isEqualTo(400);
      assertThat(a.body).as("GET %s", path).contains("request target");
    }
    assertThat(h2("GET", "/api/items/1?q=a/b:c@d!$&'()*+,;=~-._%41", Map.of()).status).isEqualTo(200);
    assertNothingReachedTheBackendsBeforeAMarker2(1);
  }

  @Test
  void http1RequestTargetsOutsideRfc3986AreRefusedAndOptionsStarStillPasses() throws Exception {
    start();
    for (String target : List.of("/api/items/a\"b", "/api/items/{x}", "/api/items/a|b", "/api/items/a^b",
        "/api/items/a`b", "/api/items/a%zz")) {
      String head = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", proxy.server.port());
      assertThat(head).as("GET %s", target).startsWith("HTTP/1.1 400 ");
    }
    assertThat(raw("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", proxy.server.port())).startsWith("HTTP/1.1 200 ");
    await().atMost(Duration.ofSeconds(5)).until(() -> legacy.received.size() == 1);
    assertThat(legacy.received).extracting(TestBackend.Received::method).containsExactly("OPTIONS");
  }

  // --- 2. header values over h2 -------------------------------------------------------------------------------

  @Test
  void h2HeaderValuesWithCrLfOrNulAreA400NamingTheHeader() throws Exception {
    start();
    for (String value : List.of("a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u0001b")) {
      Answer a = rawH2("GET", "/api/items/1", Map.of("x-evil", value));
      assertThat(a.status).as("x-evil: %s", value.replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(400);
      assertThat(a.body).contains("x-evil");
    }
    assertThat(rawH2("GET", "/api/items/1", Map.of("x-fine", "a\tb ok")).status).isEqualTo(200);
    assertNothingReachedTheBackendsBeforeAMarker2(1);
  }

  // --- 3. memory: bodies declared, never sent --------------------------------------------------------------------

  @Test
  void declaredButUnsentBodiesDoNotReserveMemory() throws Exception {
    start("--shadow-timeout", "10s");
    var memory = ManagementFactory.getMemoryMXBean();
    // Warm up the path (classes, pools) so that only the idle connections' cost is measured.
    assertThat(proxy.send("POST", "/api/search/a", "warm").statusCode()).isEqualTo(200);
    long before = usedHeapAfterGc(memory);
    int connections = 120;
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        Socket s = new Socket("127.0.0.1", proxy.server.port());
        sockets.add(s);
        s.getOutputStream().write(("POST /api/search/" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server.drain().inFlight() == connections);
      long grown = usedHeapAfterGc(memory) - before;
      // Each declared 1 MiB: reserving it up front costs 120 MiB here. Growing as bytes arrive costs a few KiB each.
      assertThat(grown).as("heap growth in bytes with %d idle 1 MiB declarations", connections)
          .isLessThan(40L * 1024 * 1024);

      var r = proxy.send("POST", "/api/search/b", "well behaved");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"len\":12");
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("search", "matched") == 2);
    } finally {
      for (Socket s : sockets) s.close();
    }
    // The clients went before sending their bodies: every in-flight place they held is free again.
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.comparisons().inFlight() == 0);
  }

  private static long usedHeapAfterGc(java.lang.management.MemoryMXBean memory) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) { // a few passes: the collector may leave garbage on the first
      System.gc();
      min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  // --- 4. slow clients -----------------------------------------------------------------------------------------

  @Test
  void slowHeadersAreCutOffOnTheClientPort() throws Exception {
    start("--client-header-timeout", "1s", "--client-body-timeout", "2s");
    assertThat(secondsUntilClosedWhileDribblingHeaders(proxy.server.port())).isLessThan(4);
    assertThat(proxy.get("/api/items/1").statusCode()).isEqualTo(200);
  }

  @Test
  void slowHeadersAreCutOffOnTheAdminPort() throws Exception {
    start("--client-header-timeout", "1s", "--client-body-timeout", "2s");
    assertThat(secondsUntilClosedWhileDribblingHeaders(proxy.server.adminPort())).isLessThan(4);
    assertThat(proxy.adminGet("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aSlowBodyIsA408AndTheConnectionCloses() throws Exception {
    start("--client-header-timeout", "1s", "--client-body-timeout", "2s");
    long started = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", proxy.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("POST /api/search/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread dribbler = dribble(out, "x");
      try {
        String answer = readUntilClosed(s.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 408 ");
      } finally {
        dribbler.interrupt();
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.comparisons().inFlight() == 0);
    assertThat(legacy.received).isEmpty();
  }

  @Test
  void aSlowBodyOverH2IsA408AndItsStreamEnds() throws Exception {
    start("--client-header-timeout", "1s", "--client-body-timeout", "2s");
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      long started = System.nanoTime();
      int status = client.request(HttpMethod.POST, proxy.server.port(), "127.0.0.1", "/api/search/1")
          .compose(req -> {
            req.putHeader("content-length", "100");
            req.write(Buffer.buffer("0123456789")); // and no more
            return req.response().map(resp -> resp.statusCode());
          })
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(status).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.comparisons().inFlight() == 0);
      assertThat(legacy.received).isEmpty();
    } finally {
      client.close();
    }
  }

  @Test
  void wellBehavedClientsAreNotCutOffWhileTheBackendTakesLongerThanTheTimeouts() throws Exception {
    start("--client-header-timeout", "1s", "--client-body-timeout", "1s", "--client-idle-timeout", "2s");
    legacy.respond((req, body) -> vertx.setTimer(2500, t -> TestBackend.json("legacy").accept(req, body)));
    var slow = proxy.send("POST", "/api/orders", "{\"sku\":1}");
    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(slow.body()).contains("\"len\":9");
    // A keep-alive connection reused within the idle timeout is still served.
    try (Socket s = new Socket("127.0.0.1", proxy.server.port())) {
      s.setSoTimeout(10_000);
      legacy.respond(TestBackend.json("legacy"));
      for (int i = 0; i < 2; i++) {
        s.getOutputStream().write("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200 ");
      }
    }
  }

  /** Sends an unfinished head and one more header line every 200 ms; the seconds until the proxy closes. */
  private static double secondsUntilClosedWhileDribblingHeaders(int port) throws Exception {
    long started = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread dribbler = dribble(out, "X-Slow: 1\r\n");
      try {
        assertThat(readUntilClosed(s.getInputStream())).doesNotContain("200");
      } finally {
        dribbler.interrupt();
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }

  /** Writes {@code piece} every 200 ms, 50 times at most, until the connection fails or the thread is interrupted. */
  private static Thread dribble(OutputStream out, String piece) {
    Thread t = new Thread(() -> {
      for (int i = 0; i < 50 && !Thread.currentThread().isInterrupted(); i++) {
        try {
          Thread.sleep(200);
          out.write(piece.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (InterruptedException | IOException e) {
          return;
        }
      }
    }, "dribbler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Everything the server sends until it closes (or resets) the connection; fails on the socket's read timeout. */
  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("still open after the read timeout; got: " + got.toString(StandardCharsets.ISO_8859_1));
    } catch (java.net.SocketException reset) {
      // a reset is a close too
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  // --- 5. paths a normalising backend would read differently ------------------------------------------------------

  @Test
  void dotSegmentsEncodedSeparatorsBackslashesAndPathParametersAreA400() throws Exception {
    start();
    for (String target : List.of(
        "/api/search/../orders", "/api/search/./x", "/api/search/..", "/api/search/.",
        "/api/search/%2e%2e/orders", "/api/search/%2E%2e/orders", "/api/search/.%2e/orders", "/api/search/%2e/x",
        "/api/search/..;/orders", "/api/search/x;a=b", "/api/search/x%3b/a",
        "/api/search/x%2forders", "/api/search/..%2forders", "/api/search/..%2Forders", "/api/search/a%5c..%5corders",
        "/api/search/a\\..\\orders", "/api/search//orders", "/api/search/a/%2E%2E/%2E%2E/orders",
        // Encoded unreserved characters, which backends decode: %2e%2ea is ..a to them, %6frders is orders.
        "/api/search/%2e%2ea", "/api/%73earch/x", "/api/search/%6frders")) {
      String head = raw("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", proxy.server.port());
      assertThat(head).as("POST %s", target).startsWith("HTTP/1.1 400 ");
      assertThat(head).as("POST %s", target).contains("path");
    }
    // Names that only look like dots, and dots or slashes in the query, are ordinary.
    for (String target : List.of("/api/search/a.b", "/api/search/..a", "/api/search/.well",
        "/api/search/x?next=/a/../b%2f;c")) {
      String head = raw("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", proxy.server.port());
      assertThat(head).as("POST %s", target).startsWith("HTTP/1.1 200 ");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> candidate.shadowCount() == 4);
    assertThat(legacy.received).extracting(TestBackend.Received::uri).containsExactlyInAnyOrder(
        "/api/search/a.b", "/api/search/..a", "/api/search/.well", "/api/search/x?next=/a/../b%2f;c");
  }

  @Test
  void dotSegmentsAreRefusedOverH2Too() throws Exception {
    start();
    for (String path : List.of("/api/search/../orders", "/api/search/%2e%2e/orders", "/api/search/x%2forders")) {
      assertThat(h2("POST", path, Map.of()).status).as("POST %s", path).isEqualTo(400);
    }
    assertNothingReachedTheBackendsBeforeAMarker();
  }

  // --- 6. forwarded and hop-by-hop headers --------------------------------------------------------------------

  @Test
  void headersNamedInConnectionAreStrippedBothWays() throws Exception {
    start();
    legacy.respond((req, body) -> req.response().putHeader("Connection", "X-Backend-Hop")
        .putHeader("X-Backend-Hop", "secret").putHeader("X-End", "kept").end("{}"));
    String head = raw("GET /api/items/1 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Client-Hop\r\n"
        + "X-Client-Hop: 1\r\nX-Other: 2\r\n\r\n", proxy.server.port());
    assertThat(head).startsWith("HTTP/1.1 200 ").contains("X-End: kept").doesNotContainIgnoringCase("x-backend-hop");
    await().atMost(Duration.ofSeconds(5)).until(() -> candidate.received.size() == 1);
    for (TestBackend side : List.of(legacy, candidate)) {
      assertThat(side.received).hasSize(1);
      assertThat(side.received.get(0).headers().contains("X-Client-Hop")).isFalse();
      assertThat(side.received.get(0).headers().get("X-Other")).isEqualTo("2");
    }
  }

  @Test
  void clientSentForwardedHostAndProtoAreReplacedByTheProxysOwnView() throws Exception {
    start();
    String head = raw("GET /api/items/1 HTTP/1.1\r\nHost: shop.internal\r\nX-Forwarded-Host: evil.example\r\n"
        + "X-Forwarded-Proto: https\r\nx-forwarded-host: evil2.example\r\n\r\n", proxy.server.port());
    assertThat(head).startsWith("HTTP/1.1 200 ");
    await().atMost(Duration.ofSeconds(5)).until(() -> candidate.received.size() == 1);
    for (TestBackend side : List.of(legacy, candidate)) {
      assertThat(side.received.get(0).headers().getAll("X-Forwarded-Host")).containsExactly("shop.internal");
      assertThat(side.received.get(0).headers().getAll("X-Forwarded-Proto")).containsExactly("http");
      assertThat(side.received.get(0).headers().getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  record Answer(int status, String body) {}

  /** One request over h2c with prior knowledge, the path and headers sent as given. */
  private Answer h2(String method, String path, Map<String, String> headers) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1")
          .setPort(proxy.server.port()).setURI(path);
      headers.forEach(o::putHeader);
      return client.request(o)
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString()))))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /**
   * One request over h2c with prior knowledge on a plain socket, its headers HPACK-encoded by Netty without any
   * validation: Vert.x's client refuses to send CR, LF or NUL in a header value, a hostile client does not.
   */
  private Answer rawH2(String method, String path, Map<String, String> headers) throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.server.port())) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(out, 0x4, 0, 0, new byte[0]); // our SETTINGS: the defaults
      Http2Headers h = new DefaultHttp2Headers(false).method(method).scheme("http").path(path)
          .authority("127.0.0.1:" + proxy.server.port());
      headers.forEach(h::add);
      ByteBuf block = Unpooled.buffer();
      new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true).encodeHeaders(1, h, block);
      frame(out, 0x1, 0x4 | 0x1, 1, ByteBufUtil.getBytes(block)); // HEADERS, END_HEADERS | END_STREAM
      block.release();
      DataInputStream in = new DataInputStream(s.getInputStream());
      DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
      int status = -1;
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int frames = 0; frames < 100; frames++) {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        if (type == 0x4 && (flags & 0x1) == 0) frame(out, 0x4, 0x1, 0, new byte[0]); // acknowledge its SETTINGS
        if (type == 0x7) return new Answer(-1, "GOAWAY");
        if (stream != 1) continue;
        if (type == 0x3) return new Answer(-1, "RST_STREAM");
        if (type == 0x1) {
          int skip = (flags & 0x20) != 0 ? 5 : 0; // PRIORITY: stream dependency and weight first (never PADDED here)
          status = Integer.parseInt(decoder.decodeHeaders(1, Unpooled.wrappedBuffer(payload, skip, length - skip))
              .status().toString());
        }
        if (type == 0x0) body.write(payload); // the server does not pad
        if ((type == 0x0 || type == 0x1) && (flags & 0x1) != 0) return new Answer(status, body.toString(StandardCharsets.UTF_8));
      }
      throw new AssertionError("no answer in 100 frames");
    }
  }

  private static void frame(DataOutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    out.writeByte(payload.length >>> 16);
    out.writeByte(payload.length >>> 8);
    out.writeByte(payload.length);
    out.writeByte(type);
    out.writeByte(flags);
    out.writeInt(stream);
    out.write(payload);
    out.flush();
  }

  /**
   * A mirrored OPTIONS marker reaches both sides; by then anything an earlier refused request had let through would
   * have arrived first on the same proxy, so each side must have received the marker alone.
   */
  private void assertNothingReachedTheBackendsBeforeAMarker() throws Exception {
    assertThat(h2("OPTIONS", "/marker", Map.of()).status).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> candidate.received.size() >= 1);
    assertThat(legacy.received).extracting(TestBackend.Received::uri).containsExactly("/marker");
    assertThat(candidate.received).extracting(TestBackend.Received::uri).containsExactly("/marker");
  }

  /** As above, after {@code accepted} requests the test expected to pass. */
  private void assertNothingReachedTheBackendsBeforeAMarker2(int accepted) throws Exception {
    assertThat(h2("OPTIONS", "/marker", Map.of()).status).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> candidate.received.size() >= accepted + 1);
    assertThat(legacy.received).hasSize(accepted + 1);
    assertThat(candidate.received).hasSize(accepted + 1);
    assertThat(legacy.received.get(accepted).uri()).isEqualTo("/marker");
  }

  private static String raw(String request, int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readHead(s.getInputStream());
    }
  }

  /** The response head (status line and headers) and whatever body bytes came with it. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      got.write(buf, 0, n);
      String text = got.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0 && bodyComplete(text, end + 4)) break;
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean bodyComplete(String text, int bodyStart) {
    String lower = text.substring(0, bodyStart).toLowerCase(java.util.Locale.ROOT);
    int cl = lower.indexOf("content-length:");
    if (cl < 0) return true;
    int eol = lower.indexOf("\r\n", cl);
    long len = Long.parseLong(lower.substring(cl + 15, eol).trim());
    return text.length() - bodyStart >= len;
  }
}
