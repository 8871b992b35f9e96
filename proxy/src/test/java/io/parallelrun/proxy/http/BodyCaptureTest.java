package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {
  @Test
  void declaredLengthIsCapturedInChunksWithoutACopyAtTheEnd() {
    BodyCapture c = new BodyCapture(6, 100);
    c.append(Buffer.buffer("abc"));
    c.append(Buffer.buffer("def"));
    byte[] first = c.bytes();
    assertThat(new String(first)).isEqualTo("abcdef");
    assertThat(c.bytes()).isSameAs(first);
  }

  @Test
  void unknownLengthGrowsUpToTheLimit() {
    BodyCapture c = new BodyCapture(-1, 5000);
    String chunk = "x".repeat(700);
    for (int i = 0; i < 7; i++) c.append(Buffer.buffer(chunk));
    assertThat(c.tooLarge()).isFalse();
    assertThat(c.bytes()).hasSize(4900);
  }

  @Test
  void shorterThanDeclaredKeepsWhatArrived() { // e.g. a HEAD answer declares a length but has no body
    BodyCapture c = new BodyCapture(10, 100);
    c.append(Buffer.buffer("abc"));
    assertThat(new String(c.bytes())).isEqualTo("abc");
    assertThat(new BodyCapture(10, 100).bytes()).isEmpty();
  }

  @Test
  void overTheLimitIsTooLargeWhetherDeclaredOrDiscovered() {
    assertThat(new BodyCapture(101, 100).tooLarge()).isTrue();
    BodyCapture c = new BodyCapture(-1, 100);
    c.append(Buffer.buffer("x".repeat(60)));
    c.append(Buffer.buffer("x".repeat(41)));
    assertThat(c.tooLarge()).isTrue();
    c.append(Buffer.buffer("y"));
    assertThat(c.tooLarge()).isTrue();
    assertThatThrownBy(c::bytes).isInstanceOf(IllegalStateException.class);
    BodyCapture exact = new BodyCapture(-1, 100);
    exact.append(Buffer.buffer("x".repeat(100)));
    assertThat(exact.tooLarge()).isFalse();
  }
}
