package io.junction.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.JsonScan;
import io.junction.protocol.SseFramer;
import io.junction.protocol.SseTap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.junction.protocol.Usage;

/**
 * Fast-path relay of chat.completion.chunk SSE, with {@link OpenAiStreamDecoder}'s idea of the end:
 * complete once a finish_reason was seen and then {@code data: [DONE]} came (a data line, not those
 * bytes anywhere) or the upstream closed; an {@code {"error":…}} event is an error. Only chunks that
 * can carry a finish_reason, a usage object or an error are parsed, with the streaming parser.
 * The gateway always asks upstream for usage, so the usage-only chunk is dropped when the client
 * itself did not ask for it (it would surprise a client that didn't).
 */
final class OpenAiStreamTap extends SseTap {
  private static final byte[] FINISH = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private final boolean clientWantsUsage;
  private boolean finished;

  OpenAiStreamTap(boolean clientWantsUsage) {
    super(true, "Upstream stream ended before it was complete");
    this.clientWantsUsage = clientWantsUsage;
  }

  /** Some compatible servers omit [DONE]; a stream that reported its finish_reason is complete. */
  @Override
  protected void closed() {
    if (finished) end();
    else super.closed();
  }

  @Override
  protected boolean onEvent(SseFramer.Event e) {
    if (e.dataIs("[DONE]")) {
      if (finished) end();
      else fail("Upstream stream ended without a finish reason");
      return true;
    }
    if (!closing() && !mayCarry(e.dataArray(), e.dataFrom(), e.dataTo())) return true;
    try (JsonParser p = e.dataParser()) {
      return chunk(p);
    } catch (IOException ex) {
      fail("Upstream sent a stream chunk that is not valid JSON");
      return true;
    }
  }

  /** Reads error, usage and choices[0].finish_reason of one chunk; returns whether to forward it. */
  private boolean chunk(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      if (t != null) p.skipChildren();
      requireEnd(p);
      return true;
    }
    JsonNode error = null;
    JsonNode usage = null;
    String tier = null;
    boolean finish = false;
    boolean noChoices = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      t = p.nextToken();
      switch (field) {
        case "error" -> error = tree(p);
        case "service_tier" -> tier = t == JsonToken.VALUE_STRING ? OpenAiResponses.tier(p.getText()) : null;
        case "usage" -> {
          usage = t == JsonToken.START_OBJECT ? tree(p) : null;
          p.skipChildren();
        }
        case "choices" -> {
          finish = false;
          noChoices = false;
          if (t == JsonToken.START_ARRAY) {
            t = p.nextToken();
            noChoices = t == JsonToken.END_ARRAY;
            if (!noChoices) {
              finish = JsonScan.hasNonNull(p, t, "finish_reason");
              while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    requireEnd(p);
    if (error != null) {
      fail(error.path("message").asText(error.asText("Upstream error")));
      return true;
    }
    if (finish) finished = true;
    if (usage == null) return true;
    Usage read = OpenAiResponses.usage(usage);
    addUsage(tier == null ? read : read.withTier(tier)); // flex bills lower
    return clientWantsUsage || !noChoices;
  }

  /**
   * Whether the chunk may hold a non-null finish_reason, a usage object or an error: a scan for
   * those keys. With usage on, OpenAI sends {@code "usage":null} and {@code "finish_reason":null}
   * in every other chunk; those are not worth parsing. A false hit only costs a parse.
   */
  static boolean mayCarry(byte[] b, int from, int to) {
    for (int i = from; i < to - 1; i++) {
      if (b[i] != '"') continue;
      // The byte after the quote tells which key it could be: one comparison instead of three.
      switch (b[i + 1]) {
        case 'f' -> {
          int v = valueAfter(b, i, to, FINISH);
          if (v >= 0 && v < to && b[v] != 'n') return true;
        }
        case 'u' -> {
          int v = valueAfter(b, i, to, USAGE);
          if (v >= 0 && v < to && b[v] == '{') return true;
        }
        case 'e' -> {
          if (valueAfter(b, i, to, ERROR) >= 0) return true;
        }
        default -> { }
      }
    }
    return false;
  }

  /** Where the value starts when {@code key} then a colon are at {@code at} (JSON whitespace allowed), else -1. */
  private static int valueAfter(byte[] b, int at, int to, byte[] key) {
    if (to - at < key.length) return -1;
    for (int j = 1; j < key.length; j++) if (b[at + j] != key[j]) return -1;
    int i = skipSpace(b, at + key.length, to);
    if (i >= to || b[i] != ':') return -1;
    return skipSpace(b, i + 1, to);
  }

  private static int skipSpace(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    return i;
  }
}
