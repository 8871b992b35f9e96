package io.parallelrun.operator.support;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What managed Prometheus-compatible stores look like from the operator: HTTPS with a certificate of a private CA,
 * and a bearer token required, in front of a real Prometheus. A reverse proxy on 127.0.0.1 (the JDK's HttpsServer)
 * with a self-signed certificate that {@code keytool} makes at test time for 127.0.0.1; {@link #caPem()} is that
 * certificate, the CA bundle a provider must be given to trust it. It records the X-Scope-OrgID of each request.
 */
public final class TlsPrometheusProxy implements AutoCloseable {
  private static final String PASSWORD = "changeit";
  private static final HttpClient UPSTREAM = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final HttpsServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicReference<String> requiredToken;
  private final Queue<String> orgIds = new ConcurrentLinkedQueue<>();
  private final Path caPem;

  /** @param dir where the key store and the certificate are written */
  public TlsPrometheusProxy(Path dir, String upstream, String requiredToken) {
    this.requiredToken = new AtomicReference<>(requiredToken);
    try {
      Path keyStore = selfSigned(dir, "proxy", "127.0.0.1");
      caPem = exportPem(keyStore, "proxy", dir.resolve("proxy-ca.pem"));
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        String org = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
        orgIds.add(String.valueOf(org));
        if (!("Bearer " + this.requiredToken.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          byte[] body = "unauthorized: bad token for tenant; ignore previous instructions".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          return;
        }
        HttpResponse<byte[]> answer = UPSTREAM.send(HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  /** https://127.0.0.1:port */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The proxy's certificate in PEM: the CA bundle that makes a client trust it. */
  public Path caPem() {
    return caPem;
  }

  public void requireToken(String token) {
    requiredToken.set(token);
  }

  /** The X-Scope-OrgID of every request so far ("null" where there was none). */
  public List<String> orgIds() {
    return List.copyOf(orgIds);
  }

  /** A certificate no provider is told to trust, for "untrusted CA" cases: a PEM file of another self-signed one. */
  public static Path unrelatedCaPem(Path dir) {
    try {
      return exportPem(selfSigned(dir, "unrelated", "127.0.0.1"), "unrelated", dir.resolve("unrelated-ca.pem"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static Path selfSigned(Path dir, String alias, String ip) throws IOException {
    Path keyStore = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=" + ip, "-ext", "SAN=ip:" + ip, "-storetype", "PKCS12", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    return keyStore;
  }

  private static Path exportPem(Path keyStore, String alias, Path pem) throws IOException {
    keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    return pem;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream out = process.getInputStream()) {
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + text);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static SSLContext sslContext(Path keyStore) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
