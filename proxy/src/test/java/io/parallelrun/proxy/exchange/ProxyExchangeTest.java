package io.parallelrun.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.proxy.compare.SideOutcome;
import io.parallelrun.proxy.routing.Backend;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two answers of a mirrored request meet in its exchange, in whichever order they arrive. */
class ProxyExchangeTest {
  private static final RoutingTable TABLE = new RoutingTable("ns", "shop", Backend.of("legacy", "http://a"),
      Backend.of("candidate", "http://b"), List.of(), null, null);
  private static final SideOutcome CLIENTS = new SideOutcome.Failed("the answer the client got");
  private static final SideOutcome SHADOWS = new SideOutcome.Failed("the shadow's answer");
  @RegisterExtension
  static final ReceivedExchanges requests = new ReceivedExchanges();

  @Test
  void thePairIsCompleteOnceBothAnswersAreInWhicheverComesFirst() throws Exception {
    ProxyExchange answerFirst = requests.mirrored(TABLE, null, Side.legacy, "GET", "/a");
    assertThat(answerFirst.answered(CLIENTS)).isFalse();
    assertThat(answerFirst.shadowAnswered(SHADOWS)).isTrue();

    ProxyExchange shadowFirst = requests.mirrored(TABLE, null, Side.legacy, "GET", "/a");
    assertThat(shadowFirst.shadowAnswered(SHADOWS)).isFalse();
    assertThat(shadowFirst.answered(CLIENTS)).isTrue();
  }

  @Test
  void legacyAndCandidateAreTheAnsweringSideAndTheShadowSide() throws Exception {
    ProxyExchange legacyAnswers = requests.mirrored(TABLE, null, Side.legacy, "GET", "/a");
    legacyAnswers.answered(CLIENTS);
    legacyAnswers.shadowAnswered(SHADOWS);
    assertThat(legacyAnswers.legacy()).isSameAs(CLIENTS);
    assertThat(legacyAnswers.candidate()).isSameAs(SHADOWS);
    assertThat(legacyAnswers.table().backend(legacyAnswers.shadowSide()).label()).isEqualTo("candidate");

    ProxyExchange candidateAnswers = requests.mirrored(TABLE, null, Side.candidate, "GET", "/a");
    candidateAnswers.answered(CLIENTS);
    candidateAnswers.shadowAnswered(SHADOWS);
    assertThat(candidateAnswers.legacy()).isSameAs(SHADOWS);
    assertThat(candidateAnswers.candidate()).isSameAs(CLIENTS);
  }

  @Test
  void whatTheComparisonShowsOfTheRequestIsReadFromItWhenMirrored() throws Exception {
    ProxyExchange x = requests.mirrored(TABLE, null, Side.candidate, "DELETE", "/orders/7?reason=dup");
    assertThat(x.method()).isEqualTo("DELETE");
    assertThat(x.path()).isEqualTo("/orders/7");
    assertThat(x.query()).isEqualTo("reason=dup");
    assertThat(x.captures(Side.candidate)).as("the answering side is kept for comparison").isTrue();
    assertThat(x.captures(Side.legacy)).as("a fallback to legacy is not").isFalse();
  }

  @Test
  void eachSidesLatencyIsTheAnswersOrTheShadowsAsTheDecisionSays() throws Exception {
    ProxyExchange legacyAnswers = requests.mirrored(TABLE, null, Side.legacy, "GET", "/a");
    assertThat(legacyAnswers.legacyNanos()).as("unknown until measured").isNegative();
    legacyAnswers.answerTook(20);
    legacyAnswers.shadowTook(70);
    assertThat(legacyAnswers.legacyNanos()).isEqualTo(20);
    assertThat(legacyAnswers.candidateNanos()).isEqualTo(70);

    ProxyExchange candidateAnswers = requests.mirrored(TABLE, null, Side.candidate, "GET", "/a");
    candidateAnswers.answerTook(70);
    candidateAnswers.shadowTook(20);
    assertThat(candidateAnswers.legacyNanos()).isEqualTo(20);
    assertThat(candidateAnswers.candidateNanos()).isEqualTo(70);
  }

  @Test
  void anAnswerTheClientHeldBackHasNoLatencyEvenOnceItEnds() throws Exception {
    ProxyExchange x = requests.mirrored(TABLE, null, Side.legacy, "GET", "/a");
    x.answerHeldBack();
    x.answerTook(2_000_000_000L);
    x.shadowTook(20);
    assertThat(x.legacyNanos()).isNegative();
    assertThat(x.candidateNanos()).isEqualTo(20);
  }
}
