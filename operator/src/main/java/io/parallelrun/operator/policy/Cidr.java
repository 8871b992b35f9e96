package io.parallelrun.operator.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/** An IPv4 or IPv6 address range such as 169.254.0.0/16; a bare address is a range of one. */
record Cidr(byte[] network, int prefix, String text) {

  /** Parses an address or range; the address must be an IP literal (no name is ever resolved here). */
  static Optional<Cidr> parse(String text) {
    int slash = text.indexOf('/');
    Optional<InetAddress> address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
    if (address.isEmpty()) return Optional.empty();
    byte[] bytes = address.get().getAddress();
    int prefix;
    if (slash < 0) {
      prefix = bytes.length * 8;
    } else {
      String bits = text.substring(slash + 1);
      if (!bits.matches("\\d{1,3}")) return Optional.empty();
      prefix = Integer.parseInt(bits);
      if (prefix > bytes.length * 8) return Optional.empty();
    }
    return Optional.of(new Cidr(mask(bytes, prefix), prefix, text));
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
  }

  /** True when every address of {@code other} is in this range. */
  boolean contains(Cidr other) {
    return other.network.length == network.length && other.prefix >= prefix
        && Arrays.equals(mask(other.network, prefix), network);
  }

  boolean isIpv4() {
    return network.length == 4;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return masked;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    return text;
  }

  /** IPv4 literals embedded in IPv6 ones (::ffff:a.b.c.d is an IPv4 address to the socket that uses it). */
  static InetAddress unwrapIpv4(InetAddress address) {
    if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
      byte[] b = v6.getAddress();
      try {
        return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return address;
  }
}
