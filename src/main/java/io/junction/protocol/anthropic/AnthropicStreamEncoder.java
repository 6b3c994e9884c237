package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Canonical stream events to Anthropic SSE. Anthropic content comes in indexed blocks, so the
 * encoder opens a block when the kind of content changes and closes it before the next one.
 * {@code message_delta} (stop reason, usage) waits for {@link StreamEvent.End} because some
 * upstreams (OpenAI) report usage after the finish reason.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {

  private enum Block { NONE, TEXT, THINKING, TOOL }

  private final String requestModel;
  private boolean started;
  private boolean terminated;
  private Block open = Block.NONE;
  private int openIndex = -1;
  private int nextIndex;
  /** Canonical tool-call index to Anthropic content-block index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private FinishReason finishReason;
  private String stopSequence;
  private Usage usage = Usage.ZERO;

  /** Estimates the request's input tokens, for a message_start whose upstream counts input only at the end. */
  private final LongSupplier inputEstimate;

  public AnthropicStreamEncoder(String requestModel) { this(requestModel, () -> 0); }

  public AnthropicStreamEncoder(String requestModel, LongSupplier inputEstimate) {
    this.requestModel = requestModel;
    this.inputEstimate = inputEstimate;
  }

  @Override
  public void encode(StreamEvent event, Buffer out) {
    if (terminated) return;
    if (event instanceof StreamEvent.Error e) {
      fail(e.type(), e.message(), out);
      return;
    }
    if (!started) start(event instanceof StreamEvent.Start s ? s : new StreamEvent.Start(null, null, null), out);
    switch (event) {
      case StreamEvent.Start s -> { }
      case StreamEvent.TextDelta d -> {
        if (d.text().isEmpty()) return;
        ensureOpen(Block.TEXT, Json.object().put("type", "text").put("text", ""), out);
        delta(Json.object().put("type", "text_delta").put("text", d.text()), out);
      }
      case StreamEvent.ThinkingDelta d -> {
        ensureOpen(Block.THINKING, thinkingBlock(), out);
        delta(Json.object().put("type", "thinking_delta").put("thinking", d.text()), out);
      }
      case StreamEvent.ThinkingSignature s -> {
        ensureOpen(Block.THINKING, thinkingBlock(), out);
        delta(Json.object().put("type", "signature_delta").put("signature", s.signature()), out);
      }
      case StreamEvent.RedactedThinking r -> {
        closeOpen(out);
        int index = nextIndex++;
        ObjectNode start = Json.object().put("type", "content_block_start").put("index", index);
        start.putObject("content_block").put("type", "redacted_thinking").put("data", r.data());
        event("content_block_start", start, out);
        event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", index), out);
      }
      case StreamEvent.ToolCallStart t -> {
        closeOpen(out);
        ObjectNode block = Json.object().put("type", "tool_use")
            .put("id", t.id() != null ? t.id() : AnthropicResponses.newToolUseId()).put("name", t.name());
        block.putObject("input");
        openBlock(Block.TOOL, block, out);
        toolBlocks.put(t.index(), openIndex);
      }
      case StreamEvent.ToolCallDelta d -> {
        Integer index = toolBlocks.get(d.index());
        if (index == null || d.argumentsFragment().isEmpty()) return;
        ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", d.argumentsFragment());
        event("content_block_delta", delta, out);
      }
      case StreamEvent.Finish f -> {
        closeOpen(out);
        finishReason = f.reason();
        stopSequence = f.stopSequence();
      }
      case StreamEvent.UsageReport u -> usage = usage.merge(u.usage());
      case StreamEvent.End e -> end(out);
      case StreamEvent.Error e -> { }
    }
  }

  @Override
  public void fail(GatewayException error, Buffer out) {
    if (terminated) return;
    fail(AnthropicVocabulary.errorType(error.kind), error.getMessage(), out);
  }

  /** An error event and nothing after it: no message_stop, so clients see the stream as broken. */
  private void fail(String type, String message, Buffer out) {
    event("error", AnthropicVocabulary.errorJson(anthropicErrorType(type), message), out);
    terminated = true;
  }

  private void start(StreamEvent.Start s, Buffer out) {
    started = true;
    if (s.usage() != null) usage = usage.merge(s.usage());
    ObjectNode message = Json.object()
        .put("id", s.id() != null ? s.id() : AnthropicResponses.newMessageId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", s.model() != null ? s.model() : requestModel);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    // Clients size their context from message_start (Claude Code does); OpenAI-style upstreams report
    // input only at the end, so it carries an estimate then. message_delta reports the real count.
    Usage startUsage = usage.inputTokens() > 0 ? usage : usage.merge(new Usage(inputEstimate.getAsLong(), 0));
    message.set("usage", AnthropicVocabulary.usageJson(startUsage));
    ObjectNode event = Json.object().put("type", "message_start");
    event.set("message", message);
    event("message_start", event, out);
    event("ping", Json.object().put("type", "ping"), out);
  }

  private void end(Buffer out) {
    closeOpen(out);
    ObjectNode delta = Json.object().put("type", "message_delta");
    delta.putObject("delta")
        .put("stop_reason", AnthropicVocabulary.stopReason(finishReason, !toolBlocks.isEmpty()))
        .put("stop_sequence", stopSequence);
    // Cumulative usage, input included: upstreams that count input late (OpenAI) only know it now.
    delta.set("usage", AnthropicVocabulary.usageJson(usage));
    event("message_delta", delta, out);
    event("message_stop", Json.object().put("type", "message_stop"), out);
    terminated = true;
  }

  private static ObjectNode thinkingBlock() {
    return Json.object().put("type", "thinking").put("thinking", "").put("signature", "");
  }

  private void ensureOpen(Block kind, ObjectNode startBlock, Buffer out) {
    if (open == kind) return;
    closeOpen(out);
    openBlock(kind, startBlock, out);
  }

  private void openBlock(Block kind, ObjectNode startBlock, Buffer out) {
    open = kind;
    openIndex = nextIndex++;
    ObjectNode start = Json.object().put("type", "content_block_start").put("index", openIndex);
    start.set("content_block", startBlock);
    event("content_block_start", start, out);
  }

  private void closeOpen(Buffer out) {
    if (open == Block.NONE) return;
    event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", openIndex), out);
    open = Block.NONE;
  }

  private void delta(ObjectNode delta, Buffer out) {
    ObjectNode event = Json.object().put("type", "content_block_delta").put("index", openIndex);
    event.set("delta", delta);
    event("content_block_delta", event, out);
  }

  private static void event(String name, ObjectNode data, Buffer out) {
    out.appendString("event: ").appendString(name).appendString("\ndata: ").appendBuffer(Json.buffer(data)).appendString("\n\n");
  }

  /** Stream errors from other protocols carry their own type names; anything unknown becomes api_error. */
  private static String anthropicErrorType(String type) {
    return switch (type == null ? "" : type) {
      case "invalid_request_error", "authentication_error", "billing_error", "permission_error", "not_found_error",
          "request_too_large", "conflict_error", "rate_limit_error", "api_error", "overloaded_error", "timeout_error" -> type;
      default -> "api_error";
    };
  }
}
