package io.parallelrun.operator.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals, parsed without ever resolving a name: InetAddress.getByName resolves anything it does not
 * recognise as a literal, so only strings already known to be literals are handed to it.
 */
final class IpLiterals {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  /**
   * Forms the C resolver (inet_aton) reads as IPv4 but that are not four decimal numbers: 2852039166,
   * 0xa9fea9fe, 0251.0376.0251.0376, 169.254.43518. A backend URL may not use them to hide an address.
   */
  private static final Pattern NUMERIC_LABELS = Pattern.compile("(0[xX][0-9a-fA-F]*|\\d+)(\\.(0[xX][0-9a-fA-F]*|\\d+))*\\.?");

  private IpLiterals() {}

  /** The address, if {@code text} is an IPv4 dotted quad or an IPv6 literal (with or without brackets). */
  static Optional<InetAddress> parse(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    try {
      if (IPV4.matcher(bare).matches()) return Optional.of(InetAddress.getByName(bare));
      // Brackets make getByName treat it as an IPv6 literal and fail rather than resolve.
      if (IPV6.matcher(bare).matches()) return Optional.of(InetAddress.getByName("[" + bare + "]"));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** True for numbers that are not a plain dotted quad but that a resolver would still read as an address. */
  static boolean isObfuscatedIpv4(String host) {
    return NUMERIC_LABELS.matcher(host).matches() && !IPV4.matcher(host).matches();
  }
}
