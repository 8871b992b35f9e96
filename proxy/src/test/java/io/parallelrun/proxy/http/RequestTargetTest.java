package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request targets are forwarded, and the reason given for those that are not. */
class RequestTargetTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/orders/1", "/orders/1/", "/a.b/..c/.d/c..", "/a:b@c!$&'()*+,=~-_",
      "/o?q=a/b?c;d%2f..%5c%41", "/o?", "/caf%C3%A9", "/a%20b", "/%3F%23"})
  void originFormWithRfc3986CharactersAndNoNormalisableSegmentsPasses(String target) {
    assertThat(RequestTarget.problem("GET", target)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "GET| *| request target '*' is only allowed for OPTIONS",
      "GET| http://evil.example/x| request target must be origin-form",
      "GET| orders| request target must be origin-form",
      "GET| /a b| the path has a space at 2",
      "GET| /a\"b| the path has the character '\"' at 2",
      "GET| /a?b c| the query has a space at 4",
      "GET| /a#f| the path has the character '#' at 2",
      "GET| /a%2| an incomplete percent-escape at 2",
      "GET| /a%g0| an invalid percent-escape at 2",
      "GET| /a/../b| a '.' or '..' segment",
      "GET| /a/.| a '.' or '..' segment",
      "GET| /./a| a '.' or '..' segment",
      "GET| /a/%2e%2E/b| a '.' or '..' segment",
      "GET| /a/.%2e| a '.' or '..' segment",
      "GET| /a/%2e| a '.' or '..' segment",
      "GET| /a/..;/b| a path parameter",
      "GET| /a;x=1/b| a path parameter",
      "GET| /a%3Bx| an encoded ';'",
      "GET| /a%2fb| an encoded '/'",
      "GET| /a%5Cb| an encoded '\\'",
      "GET| /a//b| an empty segment",
      "GET| //a| an empty segment",
      "GET| /returns/%72easons| an encoded unreserved character (%72 is 'r')",
      "GET| /%41| an encoded unreserved character (%41 is 'A')",
      "GET| /a%7e| an encoded unreserved character (%7e is '~')",
      "GET| /%2e%2ea/x| an encoded unreserved character (%2e is '.')",
      "GET| /a%00b| an encoded control character (%00)",
      "GET| /a%0d%0ab| an encoded control character (%0d)",
  })
  void everythingElseIsRefusedWithTheReason(String method, String target, String reason) {
    assertThat(RequestTarget.problem(method, target)).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a\u0000b", "/a\rb", "/a\nb", "/a\tb", "/a\u007fb", "/a\u00e9"})
  void controlAndNonAsciiCharactersAreRefused(String target) {
    assertThat(RequestTarget.problem("GET", target)).startsWith("request target: the path has");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*"})
  void optionsMayAskAboutTheServerAsAWhole(String target) {
    assertThat(RequestTarget.problem("OPTIONS", target)).isNull();
  }
}
