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
    boolean whole = pending == null; // the chunk starts at an event boundary
    if (pending != null) {
      byte[] joined = new byte[pending.length + b.length];
      System.arraycopy(pending, 0, joined, 0, pending.length);
      System.arraycopy(b, 0, joined, pending.length, b.length);
      b = joined;
      pending = null;
    }
    Buffer out = null; // allocated only once an event is dropped; until then the input is the output
    int start = 0;
    while (start < b.length) {
      int end = eventEnd(b, start);
      if (end < 0) break;
      boolean forward = inspect(b, start, end);
      if (!forward && out == null) out = Buffer.buffer(b.length).appendBytes(b, 0, start);
      if (forward && out != null) out.appendBytes(b, start, end - start);
      start = end;
    }
    if (start < b.length) {
      pending = new byte[b.length - start];
      System.arraycopy(b, start, pending, 0, pending.length);
    }
    if (out != null) return out;
    return whole && start == b.length ? chunk : Buffer.buffer(b).slice(0, start);
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

  /** Inspects one event in a single pass over its bytes; returns whether to forward it. */
  private boolean inspect(byte[] b, int from, int to) {
    boolean sawDone = false;
    boolean sawError = false;
    boolean sawUsage = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '"') {
        if (!finished && (startsWith(b, i, to, FINISH) || startsWith(b, i, to, FINISH_SPACED))) finished = true;
        else if (!sawUsage && usageObjectAt(b, i, to)) sawUsage = true;
      } else if (c == '{') {
        sawError |= startsWith(b, i, to, ERROR);
      } else if (c == '[') {
        sawDone |= startsWith(b, i, to, DONE);
      }
    }
    if (sawDone) {
      done = true;
      return true;
    }
    if (sawError) {
      JsonNode n = data(b, from, to);
      error = n == null ? "Upstream stream error" : n.path("error").path("message").asText("Upstream stream error");
      return true;
    }
    if (sawUsage) {
      JsonNode n = data(b, from, to);
      if (n != null && n.path("usage").isObject()) {
        usage = usage.merge(OpenAiResponses.chunkUsage(n));
        if (!clientWantsUsage && n.path("choices").isArray() && n.path("choices").isEmpty()) return false;
      }
    }
    return true;
  }

  /**
   * Whether the event carries a usage object. With usage on, OpenAI sends {@code "usage":null} in
   * every other chunk: those are not worth parsing.
   */
  private static boolean usageObjectAt(byte[] b, int at, int to) {
    if (!startsWith(b, at, to, USAGE)) return false;
    int i = at + USAGE.length;
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

  private static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
    if (to - at < prefix.length) return false;
    for (int j = 0; j < prefix.length; j++) if (b[at + j] != prefix[j]) return false;
    return true;
  }
}
