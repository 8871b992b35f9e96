package io.parallelrun.operator.observe.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A credential mounted from a Secret, read again on every use: Kubernetes swaps a Secret volume's files in place
 * when the Secret changes, so a rotated token is used from the next query on, without a restart.
 */
record MountedFile(Path path) {
  /** A token or password is one line; more would forge headers, and is refused (the JDK client would too). */
  private static final int MAX_BYTES = 16 * 1024;

  /** The file's text without the trailing newline that {@code kubectl create secret --from-file} often keeps. */
  String readSecret() throws IOException {
    byte[] bytes = read(path);
    if (bytes.length > MAX_BYTES) throw new IOException(path + ": larger than " + MAX_BYTES + " bytes");
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) throw new IOException(path + ": empty");
    if (HeaderRules.hasControlCharacter(text)) throw new IOException(path + ": holds a line break or control character");
    return text;
  }

  /** The file's bytes; the error says what is wrong in words (the JDK's NoSuchFileException says only the path). */
  static byte[] read(Path path) throws IOException {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IOException(path + ": no such file (is the Secret mounted there?)", e);
    } catch (AccessDeniedException e) {
      throw new IOException(path + ": not readable by the operator (permission denied)", e);
    } catch (IOException e) {
      throw new IOException(path + ": cannot be read: " + e, e);
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
