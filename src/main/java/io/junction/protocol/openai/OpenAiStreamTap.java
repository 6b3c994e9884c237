package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Fast-path relay of chat.completion.chunk SSE. Forwards whole events byte for byte and parses
 * only the chunk that carries usage. The gateway always asks upstream for usage, so that chunk is
 * dropped when the client itself did not ask for it (it would surprise a client that didn't).
 */
final class OpenAiStreamTap implements StreamTap {
  private static final byte[] USAGE = "\"usage\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINISH = "\"finish_reason\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINISH_SPACED = "\"finish_reason\": \"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "{\"error\"".getBytes(StandardCharsets.US_ASCII);

  private final boolean clientWantsUsage;
  private byte[] pending;
  private Usage usage = Usage.ZERO;
  private boolean finished;
  private boolean done;
  private String error;

  OpenAiStreamTap(boolean clientWantsUsage) { this.clientWantsUsage = clientWantsUsage; }

  @Override
  public Buffer relay(Buffer chunk) {
    byte[] b = chunk.getBytes();
    if (pending != null) {
      byte[] joined = new byte[pending.length + b.length];
      System.arraycopy(pending, 0, joined, 0, pending.length);
      System.arraycopy(b, 0, joined, pending.length, b.length);
      b = joined;
      pending = null;
    }
    Buffer out = Buffer.buffer(b.length);
    int start = 0;
    while (start < b.length) {
      int end = eventEnd(b, start);
      if (end < 0) break;
      if (inspect(b, start, end)) out.appendBytes(b, start, end - start);
      start = end;
    }
    if (start < b.length) {
      pending = new byte[b.length - start];
      System.arraycopy(b, start, pending, 0, pending.length);
    }
    return out;
  }

  @Override
  public Buffer finish() {
    if (pending == null) return Buffer.buffer();
    byte[] rest = pending;
    pending = null;
    return inspect(rest, 0, rest.length) ? Buffer.buffer(rest) : Buffer.buffer();
  }

  /** Some compatible servers omit [DONE]; a stream that reported its finish_reason is complete. */
  @Override public boolean complete() { return (done || finished) && error == null; }

  @Override public Usage usage() { return usage; }

  @Override public String error() { return error; }

  /** Inspects one event; returns whether to forward it. */
  private boolean inspect(byte[] b, int from, int to) {
    if (indexOf(b, from, to, DONE) >= 0) {
      done = true;
      return true;
    }
    if (!finished && (indexOf(b, from, to, FINISH) >= 0 || indexOf(b, from, to, FINISH_SPACED) >= 0)) finished = true;
    if (indexOf(b, from, to, ERROR) >= 0) {
      JsonNode n = data(b, from, to);
      error = n == null ? "Upstream stream error" : n.path("error").path("message").asText("Upstream stream error");
      return true;
    }
    if (hasUsageObject(b, from, to)) {
      JsonNode n = data(b, from, to);
      if (n != null && n.path("usage").isObject()) {
        usage = usage.merge(OpenAiResponses.usage(n.get("usage")));
        if (!clientWantsUsage && n.path("choices").isArray() && n.path("choices").isEmpty()) return false;
      }
    }
    return true;
  }

  /**
   * Whether the event carries a usage object. With usage on, OpenAI sends {@code "usage":null} in
   * every other chunk: those are not worth parsing.
   */
  private static boolean hasUsageObject(byte[] b, int from, int to) {
    int i = indexOf(b, from, to, USAGE);
    if (i < 0) return false;
    i += USAGE.length;
    while (i < to && b[i] == ' ') i++;
    return i < to && b[i] == '{';
  }

  /** The JSON of an event's data line, or null. */
  private static JsonNode data(byte[] b, int from, int to) {
    String s = new String(b, from, to - from, StandardCharsets.UTF_8);
    int i = s.indexOf("data:");
    if (i < 0) return null;
    try {
      return Json.parse(s.substring(i + 5).trim());
    } catch (Exception e) {
      return null;
    }
  }

  /** End (exclusive) of the event starting at {@code from}: after its blank line, or -1. */
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') return i + 2;
      if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') return i + 3;
    }
    return -1;
  }

  private static int indexOf(byte[] hay, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
