package io.parallelrun.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathTemplateTest {
  @Test
  void literalAndParams() {
    PathTemplate t = PathTemplate.compile("/orders/{id}/returns");
    assertThat(t.matches("/orders/42/returns")).isTrue();
    assertThat(t.matches("/orders//returns")).isFalse();
    assertThat(t.matches("/orders/42")).isFalse();
    assertThat(t.matches("/orders/42/returns/1")).isFalse();
    assertThat(t.matches("/orders/42/returnsx")).isFalse();
    assertThat(t.matches("/order/42/returns")).isFalse();
  }

  @Test
  void trailingRest() {
    PathTemplate t = PathTemplate.compile("/static/**");
    assertThat(t.matches("/static")).isTrue();
    assertThat(t.matches("/static/a")).isTrue();
    assertThat(t.matches("/static/a/b/c")).isTrue();
    assertThat(t.matches("/staticx")).isFalse();
    assertThat(PathTemplate.compile("/**").matches("/anything/at/all")).isTrue();
  }

  @Test
  void root() {
    assertThat(PathTemplate.compile("/").matches("/")).isTrue();
    assertThat(PathTemplate.compile("/").matches("/a")).isFalse();
  }

  @Test
  void specificity() {
    assertThat(PathTemplate.compile("/orders/new").specificity())
        .isGreaterThan(PathTemplate.compile("/orders/{id}").specificity());
    assertThat(PathTemplate.compile("/orders/{id}").specificity())
        .isGreaterThan(PathTemplate.compile("/orders/**").specificity());
  }
}
