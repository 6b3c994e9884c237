package io.junction.protocol.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ConverseStream event-stream frames to canonical events. Bedrock ends a good stream with
 * {@code messageStop} then {@code metadata} (usage); {@link StreamEvent.End} is emitted when the
 * connection closes after a messageStop, anything else ends in {@link StreamEvent.Error}.
 */
final class BedrockStreamDecoder implements StreamDecoder {

  private final EventStream.Decoder frames = new EventStream.Decoder();
  /** Converse contentBlockIndex of each tool call to its canonical tool-call index. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private boolean started;
  private boolean stopped;
  private boolean failed;

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> out) {
    if (failed) return;
    try {
      for (EventStream.Message m : frames.feed(chunk)) {
        handle(m, out);
        if (failed) return;
      }
    } catch (EventStream.FramingException e) {
      fail(out, "api_error", "Bedrock stream is corrupt: " + e.getMessage());
    }
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    if (failed) return;
    if (frames.hasPartialMessage()) fail(out, "api_error", "Bedrock stream ended inside a frame");
    else if (!stopped) fail(out, "api_error", "Bedrock stream ended without messageStop");
    else out.accept(new StreamEvent.End());
  }

  private void handle(EventStream.Message m, Consumer<StreamEvent> out) {
    String type = m.header(":message-type");
    if ("exception".equals(type)) {
      String exception = m.header(":exception-type");
      fail(out, errorType(exception), messageOf(m.payload(), exception));
      return;
    }
    if ("error".equals(type)) {
      fail(out, "api_error", m.header(":error-code") + ": " + m.header(":error-message"));
      return;
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(m.payload());
    } catch (IOException e) {
      fail(out, "api_error", "Bedrock sent an event whose payload is not JSON");
      return;
    }
    if (payload == null) payload = Json.object();
    String event = m.header(":event-type");
    if (event == null) return;
    if (!started) start(out);
    switch (event) {
      case "contentBlockStart" -> {
        JsonNode use = payload.path("start").path("toolUse");
        if (use.isObject()) {
          int index = toolIndexByBlock.size();
          toolIndexByBlock.put(payload.path("contentBlockIndex").asInt(), index);
          out.accept(new StreamEvent.ToolCallStart(index, use.path("toolUseId").asText(), use.path("name").asText()));
        }
      }
      case "contentBlockDelta" -> delta(payload.path("contentBlockIndex").asInt(), payload.path("delta"), out);
      case "messageStop" -> {
        stopped = true;
        out.accept(new StreamEvent.Finish(BedrockCodec.finishReason(payload.path("stopReason").asText(null)), null));
      }
      case "metadata" -> {
        if (payload.has("usage")) out.accept(new StreamEvent.UsageReport(BedrockCodec.usage(payload.get("usage"))));
      }
      default -> { } // messageStart, contentBlockStop and future event types carry nothing we need
    }
  }

  private void start(Consumer<StreamEvent> out) {
    started = true;
    out.accept(new StreamEvent.Start(BedrockCodec.newMessageId(), null, null));
  }

  private void delta(int block, JsonNode delta, Consumer<StreamEvent> out) {
    if (delta.hasNonNull("text")) {
      out.accept(new StreamEvent.TextDelta(delta.get("text").asText()));
    } else if (delta.has("toolUse")) {
      Integer index = toolIndexByBlock.get(block);
      if (index == null) {
        fail(out, "api_error", "Bedrock sent a toolUse delta for content block " + block + " that never started");
        return;
      }
      out.accept(new StreamEvent.ToolCallDelta(index, delta.get("toolUse").path("input").asText("")));
    } else if (delta.has("reasoningContent")) {
      JsonNode rc = delta.get("reasoningContent");
      if (rc.hasNonNull("text")) out.accept(new StreamEvent.ThinkingDelta(rc.get("text").asText()));
      if (rc.hasNonNull("signature")) out.accept(new StreamEvent.ThinkingSignature(rc.get("signature").asText()));
      if (rc.hasNonNull("redactedContent")) out.accept(new StreamEvent.RedactedThinking(rc.get("redactedContent").asText()));
    }
  }

  private void fail(Consumer<StreamEvent> out, String type, String message) {
    failed = true;
    out.accept(new StreamEvent.Error(type, message));
  }

  static String messageOf(byte[] payload, String fallback) {
    try {
      JsonNode n = Json.MAPPER.readTree(payload);
      if (n != null && n.path("message").isTextual()) return n.get("message").asText();
      if (n != null && n.path("Message").isTextual()) return n.get("Message").asText();
    } catch (IOException e) {
      // use the exception type alone
    }
    return fallback == null ? "Bedrock stream failed" : fallback;
  }

  /** Stream exception types to the error vocabulary clients know (Anthropic's names). */
  private static String errorType(String exception) {
    if (exception == null) return "api_error";
    return switch (exception) {
      case "throttlingException" -> "rate_limit_error";
      case "serviceUnavailableException" -> "overloaded_error";
      case "validationException" -> "invalid_request_error";
      default -> "api_error";
    };
  }
}
