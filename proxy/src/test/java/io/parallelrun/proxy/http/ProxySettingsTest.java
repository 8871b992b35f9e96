package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProxySettingsTest {

  @Test
  void theShadowPoolIsDividedAmongTheLanesRoundedUp() {
    ProxySettings total = ProxySettings.defaults();
    assertThat(total.poolSize()).isEqualTo(1024);
    assertThat(total.perShadowLane(1).poolSize()).isEqualTo(1024);
    assertThat(total.perShadowLane(2).poolSize()).isEqualTo(512);
    assertThat(total.perShadowLane(3).poolSize()).isEqualTo(342);
    assertThat(new ProxySettings(1, 1, 1, 1, 1, 1).perShadowLane(4).poolSize()).isEqualTo(1);
    assertThatThrownBy(() -> total.perShadowLane(0)).hasMessageContaining("lanes");
  }

  @Test
  void dividingThePoolKeepsEveryOtherLimit() {
    ProxySettings total = new ProxySettings(10, 20, 30, 40, 50, 66);
    assertThat(total.perShadowLane(6)).isEqualTo(new ProxySettings(10, 20, 30, 40, 50, 11));
    assertThat(total.perShadowLane(6).shadowWaitQueueSize()).isEqualTo(11);
    assertThat(total.perShadowLane(6).maxShadowsInFlightPerSide()).isEqualTo(22);
  }
}
