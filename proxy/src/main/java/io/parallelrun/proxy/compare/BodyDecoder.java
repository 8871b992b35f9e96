package io.parallelrun.proxy.compare;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** Undoes gzip and deflate content encodings, with a cap on the decoded size. */
public final class BodyDecoder {
  private final int maxDecodedBytes;

  public BodyDecoder(int maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /** @return the decoded body, or the body as is for identity or unknown encodings. */
  public byte[] decode(byte[] body, String contentEncoding) throws IOException {
    if (contentEncoding == null || body.length == 0) return body;
    String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
    switch (enc) {
      case "gzip", "x-gzip":
        return read(new GZIPInputStream(new ByteArrayInputStream(body)));
      case "deflate":
        try {
          return read(new InflaterInputStream(new ByteArrayInputStream(body)));
        } catch (IOException zlibFailed) {
          // Some servers send raw deflate without the zlib wrapper.
          return read(new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)));
        }
      default:
        return body;
    }
  }

  private byte[] read(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (out.size() > maxDecodedBytes) {
          throw new IOException("decoded body exceeds " + maxDecodedBytes + " bytes");
        }
      }
      return out.toByteArray();
    }
  }
}
