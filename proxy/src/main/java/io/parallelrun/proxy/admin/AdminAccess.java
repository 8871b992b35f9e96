package io.parallelrun.proxy.admin;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Who may read the admin port's mismatch samples: a connection from loopback (kubectl port-forward arrives at
 * the pod's loopback, so RBAC on pods/portforward decides), or a request carrying {@code Authorization: Bearer}
 * with the token of the admin token file. Probes and /metrics stay open: the kubelet and Prometheus need them.
 */
public final class AdminAccess {
  /** Exactly what port-forward connects from; not all of 127/8, which a sidecar or a test may use. */
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
  private static final String BEARER = "Bearer ";

  /** SHA-256 of the token, or null when there is none; only the digest is kept, so nothing prints the token. */
  private final byte[] tokenDigest;

  private AdminAccess(byte[] tokenDigest) {
    this.tokenDigest = tokenDigest;
  }

  public static AdminAccess loopbackOnly() {
    return new AdminAccess(null);
  }

  /** @param flag the option that named the file, for messages */
  public static AdminAccess tokenFile(String flag, Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip(); // a trailing newline is not part of it
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + ": cannot read '" + file + "': " + e);
    }
    if (token.isEmpty()) throw new IllegalArgumentException(flag + ": '" + file + "' is empty; it must hold the admin token");
    return new AdminAccess(sha256(token));
  }

  public boolean allows(HttpServerRequest req) {
    SocketAddress remote = req.remoteAddress();
    if (remote != null && LOOPBACK.contains(remote.hostAddress())) return true;
    String authorization = req.getHeader("Authorization");
    if (tokenDigest == null || authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    // Equal-length digests compared in constant time: neither the token's content nor its length leaks.
    return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(BEARER.length()).strip()));
  }

  /** Why a request was refused, and how to get in. */
  public String refusal(String path) {
    return "forbidden: " + path + " answers only connections from loopback (kubectl port-forward)"
        + (tokenDigest == null
            ? "; no --admin-token-file is configured, so Authorization: Bearer <token> is not accepted\n"
            : " or requests with Authorization: Bearer <the token in --admin-token-file>\n");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return tokenDigest == null ? "AdminAccess[loopback]" : "AdminAccess[loopback or token]";
  }
}
