package io.junction.provider;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps provider keys out of what upstreams send back. An upstream that quotes the key it received
 * (in an error message, or echoing the request) must not hand it to the client or the request
 * log: every key of the provider that answered is replaced, and so is anything shaped like a
 * well-known key format (OpenAI/Anthropic {@code sk-…}, Google {@code AIza…}, AWS {@code AKIA…}),
 * since the upstream may quote a key it got elsewhere.
 *
 * <p>One pass over the bytes, in place: a byte that cannot start a key or a prefix (a table
 * lookup) is skipped, so a body without any is returned as is, neither copied nor allocated —
 * this runs on every relayed body and stream flush.
 */
public final class Secrets {
  static final String REDACTED = "[redacted]";
  private static final byte[] REDACTED_BYTES = REDACTED.getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] PREFIXES = {bytes("sk-"), bytes("AIza"), bytes("AKIA")};
  /** Shortest run after a prefix that counts as a key (shorter runs are ordinary words). */
  private static final int MIN_TAIL = 16;
  /** Shortest configured key looked for verbatim: shorter ones can't be told from text. */
  private static final int MIN_KEY = 8;

  /** The configured keys as bytes, longest first (a key containing another is replaced whole). */
  private final byte[][] keys;
  /** Whether a byte can start a configured key or a prefix. */
  private final boolean[] starts = new boolean[256];

  public Secrets(List<String> keys) {
    this.keys = keys.stream().filter(k -> k != null && k.length() >= MIN_KEY).map(Secrets::bytes)
        .sorted((a, b) -> b.length - a.length).toArray(byte[][]::new);
    for (byte[] k : this.keys) starts[k[0] & 0xff] = true;
    for (byte[] p : PREFIXES) starts[p[0] & 0xff] = true;
  }

  /** {@code body} with the keys and key-shaped tokens replaced; the same instance when there was none. */
  public Buffer scrub(Buffer body) {
    if (body == null || body.length() == 0) return body;
    ByteBuf buf = ((BufferInternal) body).getByteBuf(); // a view sharing the bytes
    byte[] b;
    int from;
    if (buf.hasArray()) {
      b = buf.array();
      from = buf.arrayOffset() + buf.readerIndex();
    } else {
      b = body.getBytes();
      from = 0;
    }
    Buffer out = scrub(b, from, from + body.length());
    return out == null ? body : out;
  }

  /** The scrubbed bytes {@code b[from, to)}, or null when nothing needed replacing. */
  Buffer scrub(byte[] b, int from, int to) {
    Buffer out = null;
    int copied = from;
    int i = from;
    while (i < to) {
      if (!starts[b[i] & 0xff]) {
        i++;
        continue;
      }
      int end = match(b, from, i, to);
      if (end < 0) {
        i++;
        continue;
      }
      if (out == null) out = Buffer.buffer(to - from);
      out.appendBytes(b, copied, i - copied).appendBytes(REDACTED_BYTES);
      copied = i = end;
    }
    if (out == null) return null;
    return out.appendBytes(b, copied, to - copied);
  }

  /** Where a key or key-shaped token starting at {@code i} ends, or -1 when none starts there. */
  private int match(byte[] b, int from, int i, int to) {
    for (byte[] k : keys) if (at(b, i, to, k)) return i + k.length;
    if (i > from && keyChar(b[i - 1])) return -1; // inside a word: not the start of a token
    for (byte[] p : PREFIXES) {
      if (!at(b, i, to, p)) continue;
      int end = i + p.length;
      while (end < to && keyChar(b[end])) end++;
      return end - i - p.length >= MIN_TAIL ? end : -1;
    }
    return -1;
  }

  private static boolean at(byte[] b, int i, int to, byte[] needle) {
    if (to - i < needle.length) return false;
    for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) return false;
    return true;
  }

  private static boolean keyChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
