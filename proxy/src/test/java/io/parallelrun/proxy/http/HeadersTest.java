package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Which request and response headers cross the proxy, and the X-Forwarded-* it adds. */
class HeadersTest {

  @Test
  void endToEndHeadersCrossHopByHopHostExpectAndAClientsShadowMarkDoNot() {
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("Accept", "application/json")
        .add("authorization", "Bearer t")
        .add("Connection", "keep-alive")
        .add("KEEP-ALIVE", "timeout=5")
        .add("TE", "trailers")
        .add("Host", "shop.example")
        .add("Expect", "100-continue")
        .add("x-parallel-run", "shadow");

    MultiMap out = Headers.upstreamRequest(in, "10.0.0.9", "shop.example", "https");

    assertThat(out.names()).containsExactlyInAnyOrder(
        "Accept", "authorization", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto");
    assertThat(out.get("accept")).isEqualTo("application/json");
    assertThat(out.get("Authorization")).isEqualTo("Bearer t");
    assertThat(out.get("X-Forwarded-For")).isEqualTo("10.0.0.9");
    assertThat(out.get("X-Forwarded-Host")).isEqualTo("shop.example");
    assertThat(out.get("X-Forwarded-Proto")).isEqualTo("https");
  }

  @Test
  void everyForwardedForOfTheClientIsKeptInOrderWithThePeerAppended() {
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "203.0.113.1")
        .add("x-forwarded-for", "198.51.100.2, 192.0.2.3");

    assertThat(Headers.upstreamRequest(in, "10.0.0.9", null, "http").getAll("X-Forwarded-For"))
        .containsExactly("203.0.113.1, 198.51.100.2, 192.0.2.3, 10.0.0.9");
    assertThat(Headers.upstreamRequest(in, null, null, "http").getAll("X-Forwarded-For"))
        .containsExactly("203.0.113.1, 198.51.100.2, 192.0.2.3");
  }

  @Test
  void forwardedHostAndProtoFromTheClientAreReplacedByTheProxysView() {
    // A client cannot be told from an earlier proxy: what it claims about host and scheme is not passed on.
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("x-forwarded-host", "public.example")
        .add("X-Forwarded-Proto", "https");

    MultiMap out = Headers.upstreamRequest(in, "10.0.0.9", "internal:8080", "http");

    assertThat(out.getAll("X-Forwarded-Host")).containsExactly("internal:8080");
    assertThat(out.getAll("X-Forwarded-Proto")).containsExactly("http");
  }

  @Test
  void headersNamedInConnectionStayOnTheirHopButContentLengthAlwaysCrosses() {
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "close, X-Hop-A")
        .add("connection", "x-hop-b , Content-Length")
        .add("X-Hop-A", "1")
        .add("X-HOP-B", "2")
        .add("Content-Length", "3")
        .add("X-End", "4");

    MultiMap out = Headers.upstreamRequest(in, null, null, "http");
    assertThat(out.names()).containsExactlyInAnyOrder("Content-Length", "X-End", "X-Forwarded-Proto");

    MultiMap response = MultiMap.caseInsensitiveMultiMap();
    Headers.copyResponse(in, response);
    assertThat(response.names()).containsExactlyInAnyOrder("Content-Length", "X-End");
  }

  @Test
  void controlCharactersInValuesAndNonTokenNamesAreNamedNeverEchoed() {
    assertThat(Headers.invalidField(MultiMap.caseInsensitiveMultiMap().add("X-A", "a\tb c~\u00e9"))).isNull();
    assertThat(Headers.invalidField(MultiMap.caseInsensitiveMultiMap().add("X-A", "ok").add("X-B", "sec\r\nret")))
        .isEqualTo("header X-B: the value has a control character (0xd) at 3");
    assertThat(Headers.invalidField(MultiMap.caseInsensitiveMultiMap().add("X-B", "a\u0000")))
        .contains("X-B").contains("0x0");
    assertThat(Headers.invalidField(MultiMap.caseInsensitiveMultiMap().add("X B", "v")))
        .isEqualTo("header name 'X B' has a character not allowed in a name");
  }

  @Test
  void responseHeadersLoseOnlyHopByHopOnes() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Set-Cookie", "a=1")
        .add("Set-Cookie", "b=2")
        .add("Transfer-Encoding", "chunked")
        .add("connection", "close");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    Headers.copyResponse(from, to);

    assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Set-Cookie");
    assertThat(to.getAll("set-cookie")).containsExactly("a=1", "b=2");
  }
}
