package io.junction.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps provider keys out of what upstreams send back. An upstream that quotes the key it received
 * (in an error message, or echoing the request) must not hand it to the client or the request
 * log: every key of the provider that answered is replaced, and so is anything shaped like a
 * well-known key format (OpenAI/Anthropic {@code sk-…}, Google {@code AIza…}, AWS {@code AKIA…}),
 * since the upstream may quote a key it got elsewhere. The scan is a byte search for each key and
 * for the three prefixes; a body without any of them is returned as is, without copying.
 */
public final class Secrets {
  static final String REDACTED = "[redacted]";
  private static final byte[] REDACTED_BYTES = REDACTED.getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] PREFIXES = {bytes("sk-"), bytes("AIza"), bytes("AKIA")};
  /** Shortest run after a prefix that counts as a key (shorter runs are ordinary words). */
  private static final int MIN_TAIL = 16;

  private Secrets() {}

  /** {@code body} with {@code keys} and key-shaped tokens replaced; the same instance when there was none. */
  public static Buffer scrub(Buffer body, List<String> keys) {
    if (body == null || body.length() == 0) return body;
    byte[] b = body.getBytes();
    byte[] out = scrub(b, keys);
    return out == b ? body : Buffer.buffer(out);
  }

  static byte[] scrub(byte[] b, List<String> keys) {
    byte[] cur = b;
    for (String k : keys) {
      if (k == null || k.length() < 8) continue; // too short to tell from text
      cur = replaceAll(cur, bytes(k));
    }
    for (byte[] prefix : PREFIXES) cur = replaceShaped(cur, prefix);
    return cur;
  }

  private static byte[] replaceAll(byte[] b, byte[] needle) {
    int at = indexOf(b, needle, 0);
    if (at < 0) return b;
    Buffer out = Buffer.buffer(b.length);
    int pos = 0;
    while (at >= 0) {
      out.appendBytes(b, pos, at - pos).appendBytes(REDACTED_BYTES);
      pos = at + needle.length;
      at = indexOf(b, needle, pos);
    }
    out.appendBytes(b, pos, b.length - pos);
    return out.getBytes();
  }

  private static byte[] replaceShaped(byte[] b, byte[] prefix) {
    Buffer out = null;
    int pos = 0;
    int at = indexOf(b, prefix, 0);
    while (at >= 0) {
      int end = at + prefix.length;
      while (end < b.length && keyChar(b[end])) end++;
      boolean startsToken = at == 0 || !keyChar(b[at - 1]);
      if (startsToken && end - at - prefix.length >= MIN_TAIL) {
        if (out == null) out = Buffer.buffer(b.length);
        out.appendBytes(b, pos, at - pos).appendBytes(REDACTED_BYTES);
        pos = end;
      }
      at = indexOf(b, prefix, end);
    }
    if (out == null) return b;
    out.appendBytes(b, pos, b.length - pos);
    return out.getBytes();
  }

  private static boolean keyChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    byte first = needle[0];
    int max = hay.length - needle.length;
    outer:
    for (int i = from; i <= max; i++) {
      if (hay[i] != first) continue;
      for (int j = 1; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
