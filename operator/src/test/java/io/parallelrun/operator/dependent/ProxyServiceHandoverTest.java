package io.parallelrun.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pods' port a handed-over Service sends clients to. */
class ProxyServiceHandoverTest {
  static Service backend(ServicePort... ports) {
    return new ServiceBuilder().withNewSpec().withPorts(List.of(ports)).endSpec().build();
  }

  static ServicePort port(int port, IntOrString target) {
    return new ServicePortBuilder().withPort(port).withTargetPort(target).build();
  }

  @Test
  void theRunsPortPicksTheBackendPortAndItsTargetPort() {
    Service two = backend(port(80, new IntOrString("web")), port(8080, new IntOrString(9000)));
    assertThat(ProxyServiceHandover.targetPort(two, 8080)).isEqualTo(new IntOrString(9000));
    assertThat(ProxyServiceHandover.targetPort(two, 80)).isEqualTo(new IntOrString("web"));
    assertThat(ProxyServiceHandover.targetPort(two, 443)).as("no such port: no handover").isNull();
    assertThat(ProxyServiceHandover.targetPort(two, null)).as("two ports and none named: ambiguous").isNull();
  }

  @Test
  void aPortWithoutTargetPortMeansTheSameNumberAndAHeadlessServiceWithoutPortsPassesTheRunsPort() {
    assertThat(ProxyServiceHandover.targetPort(backend(port(8080, null)), 8080)).isEqualTo(new IntOrString(8080));
    assertThat(ProxyServiceHandover.targetPort(backend(port(8080, null)), null)).isEqualTo(new IntOrString(8080));
    assertThat(ProxyServiceHandover.targetPort(backend(), 8080)).isEqualTo(new IntOrString(8080));
    assertThat(ProxyServiceHandover.targetPort(backend(), null)).isNull();
  }
}
