package io.parallelrun.proxy.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelrun.api.metrics.MismatchAxis;
import java.util.Set;

/**
 * Outcome of comparing two answers.
 *
 * @param mismatches the axes that differ; empty when the answers match
 * @param legacy legacy's answer as compared: {status, headers, body} after ignores, decoding and normalising
 * @param candidate the candidate's answer in the same form
 * @param legacyBody what legacy's view holds of its body
 * @param candidateBody what the candidate's view holds of its body
 */
public record Comparison(Set<MismatchAxis> mismatches, ObjectNode legacy, ObjectNode candidate,
    BodyView legacyBody, BodyView candidateBody) {
  public boolean matched() {
    return mismatches.isEmpty();
  }
}
