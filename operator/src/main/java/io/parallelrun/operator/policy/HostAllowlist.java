package io.parallelrun.operator.policy;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts a URL in a ParallelRun may point at. The proxy relays whatever a url: backend answers to anyone
 * who can reach its Service, and the operator fetches the Prometheus URL, so without a check a ParallelRun
 * could read the node's cloud metadata (credentials) or any internal host.
 *
 * <p>Entries: a host name ({@code legacy.acme.com}), every subdomain of one ({@code *.acme.com}), an IP
 * address, or a range ({@code 10.20.0.0/16}). No entries means any host, except these, which are refused
 * always: link-local addresses and the cloud metadata endpoints ({@link #ALWAYS_REFUSED_RANGES},
 * {@link #ALWAYS_REFUSED_NAMES}). One of those is allowed only by an entry that names it or a range inside
 * them, never by a wider range or a wildcard. IPv4 written other than as four decimal numbers is refused.
 *
 * <p>Names are compared as written, never resolved: a name that resolves to a refused address is caught only
 * when entries are given (an allowlist of names the operator trusts).
 */
public final class HostAllowlist {
  /** IPv4 and IPv6 link-local (the metadata servers of AWS, GCP, Azure, OCI), AWS's IPv6 one, Alibaba's. */
  public static final List<String> ALWAYS_REFUSED_RANGES =
      List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254", "100.100.100.200");
  /** GCP's metadata names ("metadata" through the node's DNS search path). */
  public static final Set<String> ALWAYS_REFUSED_NAMES = Set.of("metadata.google.internal", "metadata");

  private static final List<Cidr> REFUSED = ALWAYS_REFUSED_RANGES.stream().map(r -> Cidr.parse(r).orElseThrow()).toList();
  private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  private sealed interface Entry permits Name, Suffix, Range {}

  private record Name(String name) implements Entry {}

  private record Suffix(String dotSuffix) implements Entry {}

  private record Range(Cidr cidr) implements Entry {}

  private final String flag;
  private final List<String> written;
  private final List<Entry> entries;

  /**
   * @param flag the operator flag the entries came from, named in errors and in refusals
   * @throws IllegalArgumentException naming the flag and the entry that is none of the forms above
   */
  public HostAllowlist(List<String> entries, String flag) {
    this.flag = flag;
    this.written = List.copyOf(entries);
    List<Entry> parsed = new ArrayList<>();
    for (String entry : entries) {
      parsed.add(parseEntry(entry.trim().toLowerCase(Locale.ROOT)).orElseThrow(() -> new IllegalArgumentException(
          flag + ": \"" + entry + "\" is not a host name, *.domain, IP address or CIDR range")));
    }
    this.entries = List.copyOf(parsed);
  }

  private static Optional<Entry> parseEntry(String entry) {
    if (entry.startsWith("*.") && NAME.matcher(entry.substring(2)).matches()) {
      return Optional.of(new Suffix(entry.substring(1)));
    }
    Optional<Cidr> range = Cidr.parse(entry);
    if (range.isPresent()) return Optional.of(new Range(range.get()));
    if (NAME.matcher(entry).matches() && !IpLiterals.isObfuscatedIpv4(entry)) return Optional.of(new Name(entry));
    return Optional.empty();
  }

  /**
   * Why {@code url}, the value of {@code field}, is refused, if it is.
   *
   * @param reason the violation's reason, e.g. BackendNotAllowed
   */
  public Optional<PolicyViolation> check(String field, String url, String reason) {
    String host = hostOf(url);
    if (host == null) {
      return refuse(reason, field, url, "it has no host name or address that can be checked");
    }
    if (IpLiterals.isObfuscatedIpv4(host)) {
      return refuse(reason, field, url, "IPv4 addresses must be written as four decimal numbers");
    }
    Optional<InetAddress> address = IpLiterals.parse(host).map(Cidr::unwrapIpv4);
    if (address.isEmpty() && !NAME.matcher(host).matches()) {
      return refuse(reason, field, url, "\"" + host + "\" is not a valid host name or IP address");
    }
    String shown = address.map(InetAddress::getHostAddress).orElse(host);

    Optional<String> refusedBy = address.isPresent()
        ? REFUSED.stream().filter(r -> r.contains(address.get())).map(Cidr::toString).findFirst()
        : ALWAYS_REFUSED_NAMES.contains(host) ? Optional.of(host) : Optional.empty();
    if (refusedBy.isPresent()) {
      if (entries.stream().noneMatch(e -> namesExactly(e, address, host))) {
        return refuse(reason, field, url, shown + " is in " + refusedBy.get() + ": link-local and cloud metadata"
            + " addresses (" + String.join(", ", ALWAYS_REFUSED_RANGES) + ", " + String.join(", ", ALWAYS_REFUSED_NAMES)
            + ") are refused unless the operator's " + flag + " names them");
      }
      return Optional.empty();
    }
    if (!entries.isEmpty() && entries.stream().noneMatch(e -> matches(e, address, host))) {
      return refuse(reason, field, url, shown + " is not in the operator's " + flag + " (" + String.join(",", written) + ")");
    }
    return Optional.empty();
  }

  /** The URL's host, lower case, without a trailing dot; null if it has none java.net.URI can find. */
  private static String hostOf(String url) {
    String host;
    try {
      host = new URI(url).getHost();
    } catch (URISyntaxException e) {
      return null;
    }
    if (host == null || host.isEmpty()) return null;
    host = host.toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static boolean matches(Entry entry, Optional<InetAddress> address, String host) {
    if (entry instanceof Name n) return address.isEmpty() && n.name().equals(host);
    if (entry instanceof Suffix s) return address.isEmpty() && host.endsWith(s.dotSuffix());
    Range r = (Range) entry;
    return address.isPresent() && r.cidr().contains(address.get());
  }

  /** An entry that allows a refused host: the name itself, or a range lying wholly inside a refused one. */
  private static boolean namesExactly(Entry entry, Optional<InetAddress> address, String host) {
    if (entry instanceof Name n) return address.isEmpty() && n.name().equals(host);
    if (entry instanceof Suffix) return false;
    Range r = (Range) entry;
    return address.isPresent() && r.cidr().contains(address.get())
        && REFUSED.stream().anyMatch(refused -> refused.contains(r.cidr()));
  }

  private static Optional<PolicyViolation> refuse(String reason, String field, String url, String rule) {
    return Optional.of(new PolicyViolation(reason, field, field + " \"" + url + "\" is not allowed: " + rule));
  }
}
