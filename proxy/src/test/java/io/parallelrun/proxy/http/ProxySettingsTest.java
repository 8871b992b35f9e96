package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxySettingsTest {

  @Test
  void aLaneHoldsAsManyShadowsWaitingAsItHasConnections() {
    ProxySettings settings = new ProxySettings(10, 20, 30, 40, 50, 66, 4, 60, 70, 80, 90);
    assertThat(settings.shadowWaitQueueSize()).isEqualTo(66);
    assertThat(settings.maxShadowsInFlightPerSide()).isEqualTo(132);
  }

  @Test
  void aShadowConnectionIsIdleOnlyOnceAnyShadowCallOnItWouldHaveTimedOut() {
    ProxySettings settings = new ProxySettings(10, 20, 30, 40, 50, 66, 4, 60, 70, 80, 90);
    assertThat(settings.shadowIdleTimeoutMs()).isEqualTo(90);
  }
}
