package io.junction.protocol;

/**
 * Canonical stream events: a flat sequence that every upstream stream decoder produces and every
 * inbound stream encoder consumes. Order: {@link Start}, then any mix of deltas and tool calls,
 * then {@link Finish}, optionally {@link UsageReport}s anywhere, and {@link End} last. Encoders
 * that need content blocks (Anthropic) open and close them from the changes between event kinds.
 */
public sealed interface StreamEvent {

  /** The message begins. {@code usage} may carry input tokens when the upstream reports them early. */
  record Start(String id, String model, Usage usage) implements StreamEvent {}

  record TextDelta(String text) implements StreamEvent {}

  record ThinkingDelta(String text) implements StreamEvent {}

  /** Anthropic's thinking signature, sent once at the end of a thinking block. */
  record ThinkingSignature(String signature) implements StreamEvent {}

  /** Anthropic redacted_thinking block, opaque. */
  record RedactedThinking(String data) implements StreamEvent {}

  /**
   * A tool call begins. {@code index} counts tool calls in this message from 0 (OpenAI's
   * {@code tool_calls[].index}); later {@link ToolCallDelta}s with the same index extend it.
   */
  record ToolCallStart(int index, String id, String name) implements StreamEvent {}

  /** A fragment of the JSON arguments text of tool call {@code index}. */
  record ToolCallDelta(int index, String argumentsFragment) implements StreamEvent {}

  /** Generation stopped. */
  record Finish(FinishReason reason, String stopSequence) implements StreamEvent {}

  /** Usage so far (merge with {@link Usage#merge}); the last one is final. */
  record UsageReport(Usage usage) implements StreamEvent {}

  /** The upstream stream ended cleanly. */
  record End() implements StreamEvent {}

  /** The upstream reported an error inside the stream (or the stream broke). */
  record Error(String type, String message) implements StreamEvent {}
}
