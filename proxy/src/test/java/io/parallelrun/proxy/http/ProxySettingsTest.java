package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxySettingsTest {

  @Test
  void thePoolIsDividedAmongTheEventLoopsRoundedUp() {
    ProxySettings total = ProxySettings.defaults();
    assertThat(total.poolSize()).isEqualTo(512);
    assertThat(total.perInstance(1).poolSize()).isEqualTo(512);
    assertThat(total.perInstance(2).poolSize()).isEqualTo(256);
    assertThat(total.perInstance(3).poolSize()).isEqualTo(171);
    assertThat(new ProxySettings(1, 1, 1, 1, 1, 1).perInstance(4).poolSize()).isEqualTo(1);
  }

  @Test
  void dividingThePoolKeepsEveryOtherLimit() {
    ProxySettings total = new ProxySettings(10, 20, 30, 40, 50, 60);
    assertThat(total.perInstance(6)).isEqualTo(new ProxySettings(10, 20, 30, 40, 50, 10));
    assertThat(total.perInstance(6).maxShadowsInFlightPerSide()).isEqualTo(20);
  }
}
