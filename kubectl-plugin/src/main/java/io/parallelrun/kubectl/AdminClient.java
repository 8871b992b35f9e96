package io.parallelrun.kubectl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs a proxy's admin {@code /mismatches}. The proxy answers it only on loopback (a port-forward arrives there)
 * or with the bearer token of its {@code --admin-token-file}; a refusal comes back as a {@link UserError} that
 * quotes the proxy's own reason.
 */
final class AdminClient {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

  private final String token;

  /** @param token the admin bearer token, or null to send none */
  AdminClient(String token) {
    this.token = token;
  }

  /** @param base the admin port's URL, e.g. http://127.0.0.1:9901 */
  String mismatches(URI base, String source) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mismatches")).timeout(TIMEOUT).GET();
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UserError(source + ": cannot read /mismatches: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(source + ": interrupted");
    }
    if (response.statusCode() != 200) {
      String reason = response.body().strip().lines().findFirst().orElse("");
      throw new UserError(source + ": /mismatches answered " + response.statusCode()
          + (reason.isEmpty() ? "" : ": " + reason));
    }
    return response.body();
  }
}
