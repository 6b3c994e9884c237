package io.junction.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.junction.protocol.SseFramer;
import io.junction.protocol.SseTap;
import io.junction.protocol.Usage;
import java.io.IOException;

/**
 * Fast-path tap of an Anthropic Messages stream: usage from {@code message_start} (with the cache
 * fields) and {@code message_delta}, complete at {@code message_stop}, an {@code error} event is an
 * error — as {@link AnthropicStreamDecoder} reads them. Content events (named by their SSE
 * {@code event:} line, or by a leading {@code type}) are not parsed.
 */
final class AnthropicStreamTap extends SseTap {
  private Usage current = Usage.ZERO;

  AnthropicStreamTap() { super(false, "Upstream stream ended before message_stop"); }

  @Override
  protected boolean onEvent(SseFramer.Event e) {
    if (e.nameIs("content_block_delta") || e.nameIs("content_block_start") || e.nameIs("content_block_stop") || e.nameIs("ping")) {
      return true;
    }
    try (JsonParser p = e.dataParser()) {
      event(p, e.hasName() ? e.name() : "");
    } catch (IOException ex) {
      fail("Upstream sent a stream event that is not valid JSON");
    }
    return true;
  }

  private void event(JsonParser p, String name) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      if (t != null) p.skipChildren();
      requireEnd(p);
      apply(name, null, null, null);
      return;
    }
    String type = null;
    JsonNode messageUsage = null;
    JsonNode usage = null;
    JsonNode error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      t = p.nextToken();
      switch (field) {
        case "type" -> {
          type = scalarText(p, t);
          if (type != null && !interesting(type)) return; // content and pings: nothing more to read
        }
        case "message" -> messageUsage = t == JsonToken.START_OBJECT ? usageOfMessage(p) : skip(p);
        case "usage" -> usage = tree(p);
        case "error" -> error = tree(p);
        default -> p.skipChildren();
      }
    }
    requireEnd(p);
    apply(type != null ? type : name, messageUsage, usage, error);
  }

  private void apply(String type, JsonNode messageUsage, JsonNode usage, JsonNode error) {
    switch (type) {
      case "message_start" -> {
        current = AnthropicVocabulary.usage(messageUsage);
        addUsage(current);
      }
      case "message_delta" -> {
        if (usage != null && !usage.isNull()) {
          current = AnthropicStreamDecoder.overlay(current, usage);
          addUsage(current);
        }
      }
      case "message_stop" -> end();
      case "error" -> fail((error == null ? MissingNode.getInstance() : error).path("message").asText("Upstream stream error"));
      default -> { }
    }
  }

  private static boolean interesting(String type) {
    return switch (type) {
      case "message_start", "message_delta", "message_stop", "error" -> true;
      default -> false;
    };
  }

  /** The {@code usage} of the message object the parser is on; the rest of it (content) is skipped. */
  private static JsonNode usageOfMessage(JsonParser p) throws IOException {
    JsonNode usage = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("usage")) usage = tree(p);
      else p.skipChildren();
    }
    return usage;
  }

  private static JsonNode skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }
}
