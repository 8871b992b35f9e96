package io.parallelrun.operator.observe.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** How the operator authenticates to a provider: nothing, a bearer token or basic auth, read from mounted files. */
sealed interface Credentials {
  /** The Authorization header's value, read from the files now (see {@link MountedFile}). */
  Optional<String> authorization() throws IOException;

  /** Which field of the providers file holds the credentials, for error messages. */
  String field();

  record None() implements Credentials {
    @Override
    public Optional<String> authorization() {
      return Optional.empty();
    }

    @Override
    public String field() {
      return "(none)";
    }
  }

  record BearerToken(MountedFile tokenFile) implements Credentials {
    @Override
    public Optional<String> authorization() throws IOException {
      return Optional.of("Bearer " + tokenFile.readSecret());
    }

    @Override
    public String field() {
      return "bearerTokenFile";
    }
  }

  record BasicAuth(String username, MountedFile passwordFile) implements Credentials {
    @Override
    public Optional<String> authorization() throws IOException {
      String pair = username + ":" + passwordFile.readSecret();
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String field() {
      return "basicAuth.passwordFile";
    }
  }
}
