package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 27's "resource bounds under abuse, measured": hundreds of slow-header and slow-body connections, which
 * reconnect as soon as the proxy cuts them off, while one well-behaved client sends mirrored requests. The
 * well-behaved client's latency is measured before and during the abuse in the same run; the heap after a
 * collection too. The figures are printed and written in docs/security.md.
 */
class ProxyUnderCombinedAbuseTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: get-order
          method: GET
          path: /orders/{id}
        - name: search
          method: POST
          path: /api/search/**
      """;
  static final int SLOW_HEADER_CONNECTIONS = 300;
  static final int SLOW_BODY_CONNECTIONS = 150;
  static final int REQUESTS_PER_PHASE = 1500;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  @Test
  void wellBehavedClientsKeepTheirLatencyAndTheHeapStaysBoundedWhileHundredsOfSlowConnectionsAbuseTheProxy()
      throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""),
        "--client-header-timeout", "2s", "--client-body-timeout", "3s");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    latencies(300); // warm-up: classes, pools, JIT
    long heapBefore = usedHeapAfterGc(memory);
    long[] calm = latencies(REQUESTS_PER_PHASE);

    try (Abusers abusers = new Abusers(proxy.server.port())) {
      abusers.open();
      // Let the first generation of abusers be cut off and reconnect, so the proxy is measured in the steady state.
      Thread.sleep(3_500);
      long[] abused = latencies(REQUESTS_PER_PHASE);
      long heapAbused = usedHeapAfterGc(memory);

      long calmP50 = percentile(calm, 50);
      long calmP99 = percentile(calm, 99);
      long abusedP50 = percentile(abused, 50);
      long abusedP99 = percentile(abused, 99);
      System.out.printf("combined abuse (%d slow-header + %d slow-body connections, reconnecting): well-behaved "
              + "p50 %.2f -> %.2f ms, p99 %.2f -> %.2f ms; heap after GC %d -> %d MiB; abusive connections cut "
              + "off by the proxy %d, open now %d%n",
          SLOW_HEADER_CONNECTIONS, SLOW_BODY_CONNECTIONS, calmP50 / 1e6, abusedP50 / 1e6, calmP99 / 1e6,
          abusedP99 / 1e6, heapBefore >> 20, heapAbused >> 20, abusers.cutOff.get(), abusers.open.get());

      assertThat(abusers.cutOff.get()).as("the proxy cut the slow connections off (and they came back)")
          .isGreaterThanOrEqualTo(SLOW_HEADER_CONNECTIONS + SLOW_BODY_CONNECTIONS);
      assertThat(abusedP99).as("well-behaved p99 under abuse, against %.2f ms calm", calmP99 / 1e6)
          .isLessThan(Math.max(5 * calmP99, calmP99 + Duration.ofMillis(50).toNanos()));
      assertThat(heapAbused - heapBefore).as("heap growth in bytes under abuse").isLessThan(64L << 20);
    }
  }

  /** Sequential mirrored GETs on one keep-alive connection, each answered 200; their latencies in nanoseconds. */
  private long[] latencies(int count) throws Exception {
    long[] took = new long[count];
    for (int i = 0; i < count; i++) {
      HttpRequest request = HttpRequest.newBuilder(proxy.uri("/orders/" + i)).timeout(Duration.ofSeconds(10)).build();
      long start = System.nanoTime();
      HttpResponse<String> r = ProxyFixture.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      took[i] = System.nanoTime() - start;
      assertThat(r.statusCode()).as("GET /orders/%d", i).isEqualTo(200);
    }
    return took;
  }

  private static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /**
   * Slow-header connections (a head that never ends, one byte every 250 ms) and slow-body ones (a 1 MiB body
   * declared, one byte every 250 ms), each reopened as soon as the proxy closes it. One thread drives them all.
   */
  static final class Abusers implements AutoCloseable {
    private static final byte[] SLOW_HEADER_HEAD = "GET /orders/1 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SLOW_BODY_HEAD = ("POST /api/search/slow HTTP/1.1\r\nHost: x\r\n"
        + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_BYTES = "X-Pad: 1\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
    private final List<Abuser> abusers = new ArrayList<>();
    final AtomicInteger cutOff = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();

    Abusers(int port) {
      this.port = port;
    }

    void open() throws IOException {
      for (int i = 0; i < SLOW_HEADER_CONNECTIONS; i++) abusers.add(new Abuser(SLOW_HEADER_HEAD, true));
      for (int i = 0; i < SLOW_BODY_CONNECTIONS; i++) abusers.add(new Abuser(SLOW_BODY_HEAD, false));
      for (Abuser a : abusers) a.connect();
      driver.scheduleAtFixedRate(() -> abusers.forEach(Abuser::trickle), 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
      driver.shutdownNow();
      driver.awaitTermination(5, TimeUnit.SECONDS);
      for (Abuser a : abusers) a.close();
    }

    private final class Abuser {
      private final byte[] head;
      private final boolean inHeaders;
      private Socket socket;
      private OutputStream out;
      private int sent;

      Abuser(byte[] head, boolean inHeaders) {
        this.head = head;
        this.inHeaders = inHeaders;
      }

      void connect() throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        out.write(head);
        out.flush();
        sent = 0;
        open.incrementAndGet();
      }

      void trickle() {
        if (socket == null) {
          try {
            connect();
          } catch (IOException e) {
            return; // the next tick tries again
          }
        }
        try {
          out.write(inHeaders ? HEADER_BYTES[sent % HEADER_BYTES.length] : 'a');
          out.flush();
          sent++;
        } catch (IOException closedByTheProxy) {
          cutOff.incrementAndGet();
          close();
        }
      }

      void close() {
        if (socket == null) return;
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing
        }
        socket = null;
        open.decrementAndGet();
      }
    }
  }
}
