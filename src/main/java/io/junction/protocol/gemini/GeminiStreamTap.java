package io.junction.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.JsonScan;
import io.junction.protocol.SseFramer;
import io.junction.protocol.SseTap;
import io.junction.protocol.Usage;
import java.io.IOException;

/**
 * Fast-path tap of Gemini's {@code ?alt=sse} stream. Each chunk is a whole
 * GenerateContentResponse: its {@code usageMetadata} is the running total, so the last one wins;
 * the stream is complete when a candidate's {@code finishReason} was seen (or the prompt was
 * blocked) and the upstream then closed cleanly; an {@code error} object is an error — as
 * {@link GeminiStreamDecoder} reads them. Content parts are skipped, not decoded.
 */
final class GeminiStreamTap extends SseTap {
  private boolean finished;

  GeminiStreamTap() { super(false, "The Gemini stream ended without a finishReason"); }

  /** Gemini has no end marker: a close after a finishReason is the clean end. */
  @Override
  protected void closed() {
    if (finished) end();
    else super.closed();
  }

  @Override
  protected boolean onEvent(SseFramer.Event e) {
    if (e.dataIsBlank()) return true;
    try (JsonParser p = e.dataParser()) {
      chunk(p);
    } catch (IOException ex) {
      fail("Gemini sent a stream chunk that is not valid JSON");
    }
    return true;
  }

  private void chunk(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      requireEnd(p);
      return;
    }
    JsonNode error = null;
    JsonNode meta = null;
    boolean candidate = false;
    boolean reason = false;
    boolean blocked = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      t = p.nextToken();
      switch (field) {
        case "error" -> error = tree(p);
        case "usageMetadata" -> meta = tree(p);
        case "candidates" -> {
          candidate = false;
          reason = false;
          if (t == JsonToken.START_ARRAY) {
            t = p.nextToken();
            if (t != JsonToken.END_ARRAY) {
              candidate = true;
              reason = JsonScan.hasNonNull(p, t, "finishReason");
              while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
            }
          } else {
            p.skipChildren();
          }
        }
        case "promptFeedback" -> blocked = t == JsonToken.START_OBJECT && hasField(p, "blockReason");
        default -> p.skipChildren();
      }
    }
    requireEnd(p);
    if (error != null && error.isObject()) {
      fail(error.path("message").asText("Gemini reported an error in the stream"));
      return;
    }
    Usage usage = GeminiVocabulary.usage(meta);
    if (usage != null) setUsage(usage);
    if (reason || (!candidate && blocked)) finished = true;
  }

  /** Whether the object the parser is on has {@code name}; reads to its end. */
  private static boolean hasField(JsonParser p, String name) throws IOException {
    boolean has = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      has |= p.currentName().equals(name);
      p.nextToken();
      p.skipChildren();
    }
    return has;
  }
}
