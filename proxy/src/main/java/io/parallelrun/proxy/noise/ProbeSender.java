package io.parallelrun.proxy.noise;

import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.proxy.exchange.ProxyExchange;
import java.util.function.Consumer;

/** Sends a noise probe: a compared exchange's request to legacy once more, on the shadow side's machinery. */
@FunctionalInterface
public interface ProbeSender {
  /**
   * @param done called once with the probe's outcome, on the sender's thread: {@link SideOutcome#SHED} when the
   *     probe was not sent for lack of a shadow permit, a failure when it failed or timed out
   */
  void send(ProxyExchange x, Consumer<SideOutcome> done);
}
