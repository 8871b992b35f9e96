package io.parallelrun.proxy.compare;

/**
 * How a comparison's view shows one side's body, and what it was made from, so that a redactor can tell a body
 * it can redact (a JSON tree, by path) from one it cannot (text, XML, broken JSON, binary).
 *
 * @param mediaType the side's own media type (lower case, no parameters), or null when it sent none
 * @param decoded the body after undoing its content-encoding, as compared
 */
public record BodyView(Form form, String mediaType, byte[] decoded) {
  public enum Form {
    /** The view holds nothing of the body: the body is not compared, or both sides sent the same bytes. */
    NONE,
    /** The view holds the body parsed as JSON. */
    JSON,
    /** The view holds the body's text, or a digest of its bytes. */
    RAW
  }

  static final BodyView NONE = new BodyView(Form.NONE, null, new byte[0]);
}
