package io.parallelrun.operator.observe.provider;

import io.parallelrun.operator.observe.PrometheusClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The provider's HTTP client: trusting only the certificates of its CA bundle file when it has one (the JVM's
 * default trust store otherwise), with the provider's timeout, no redirects and the answer cap. The bundle is read
 * again on each use and the client rebuilt only when its bytes changed, so a rotated CA Secret takes effect
 * without a restart. Host names are verified as usual.
 */
final class CaBundleClients {
  private record Built(byte[] bundle, PrometheusClient client) {}

  private final Optional<Path> caFile;
  private final Duration timeout;
  private final long maxAnswerBytes;
  private volatile Built current;

  CaBundleClients(Optional<Path> caFile, Duration timeout, long maxAnswerBytes) {
    this.caFile = caFile;
    this.timeout = timeout;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /** @throws IOException when the bundle cannot be read or holds no certificate */
  PrometheusClient client() throws IOException {
    byte[] bundle = caFile.isPresent() ? MountedFile.read(caFile.get()) : new byte[0];
    Built built = current;
    if (built != null && Arrays.equals(built.bundle, bundle)) return built.client;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
    if (caFile.isPresent()) http.sslContext(trusting(caFile.get(), bundle));
    built = new Built(bundle, new PrometheusClient(http.build(), timeout, maxAnswerBytes));
    current = built;
    return built.client;
  }

  /** An SSL context whose trust store holds exactly the PEM certificates of the bundle. */
  static SSLContext trusting(Path file, byte[] pem) throws IOException {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (certificates.isEmpty()) throw new IOException(file + ": no PEM certificate in it");
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) trusted.setCertificateEntry("ca-" + i++, certificate);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not a PEM certificate bundle (" + e.getMessage() + ")", e);
    }
  }
}
