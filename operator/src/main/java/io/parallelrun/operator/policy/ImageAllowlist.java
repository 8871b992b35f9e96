package io.parallelrun.operator.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxy images a ParallelRun may name in spec.proxy.image. Without it, anyone allowed to create a
 * ParallelRun could run any container under the proxy's identity in its namespace.
 *
 * <p>An entry is an exact image reference, or a prefix ending in {@code *} ({@code ghcr.io/acme/proxy:*},
 * {@code registry.acme.internal/*}); {@code *} alone allows every image. The operator's own proxy image
 * ({@code --proxy-image}) is always allowed, so the default (no entries) allows exactly that one.
 */
public final class ImageAllowlist {
  private final String ownImage;
  private final List<String> entries;

  /**
   * @param flag the flag the entries came from, named in errors
   * @throws IllegalArgumentException naming the flag and the entry, for an entry that is blank, holds whitespace,
   *     or has a {@code *} anywhere but at its end
   */
  public ImageAllowlist(String ownImage, List<String> entries, String flag) {
    this.ownImage = Objects.requireNonNull(ownImage);
    for (String entry : entries) {
      if (entry.isBlank() || entry.chars().anyMatch(Character::isWhitespace)
          || entry.indexOf('*') >= 0 && entry.indexOf('*') != entry.length() - 1) {
        throw new IllegalArgumentException(flag + ": \"" + entry + "\" is not an image reference or a prefix ending in *");
      }
    }
    this.entries = List.copyOf(entries);
  }

  /** Why {@code image} (the value of spec.proxy.image, if set) is refused, if it is. */
  public Optional<PolicyViolation> check(String image) {
    if (image == null || image.equals(ownImage) || entries.stream().anyMatch(e -> matches(e, image))) {
      return Optional.empty();
    }
    String allowed = entries.isEmpty() ? "only the operator's own proxy image " + ownImage
        : "the operator's own proxy image " + ownImage + " and --allowed-proxy-images " + String.join(",", entries);
    return Optional.of(new PolicyViolation(PolicyViolation.IMAGE_NOT_ALLOWED, "spec.proxy.image",
        "spec.proxy.image \"" + image + "\" is not allowed: this operator deploys " + allowed));
  }

  private static boolean matches(String entry, String image) {
    return entry.endsWith("*") ? image.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(image);
  }
}
