package io.junction.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What every cell of the conformance matrix sends and expects, and the protocol-neutral views of
 * what a client got back ({@link Answer}) and what an upstream received ({@link WireRequest}).
 */
final class Fixtures {
  private Fixtures() {}

  enum Scenario { PLAIN, SYSTEM_PROMPT, TOOL_ROUND_TRIP, IMAGE }

  static final String QUESTION = "What's the weather in Paris?";
  static final String IMAGE_QUESTION = "What is in this image?";
  static final String SYSTEM_PROMPT = "You are a terse weather bot.";
  static final String ANSWER = "Sunny and 18 degrees in Paris.";
  static final String FINAL_ANSWER = "It is 18C and sunny in Paris right now.";
  static final String TOOL_NAME = "get_weather";
  static final String TOOL_DESCRIPTION = "Current weather for a city";
  static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
  static final String TOOL_RESULT = "18C and sunny";
  /** A real 1x1 PNG. */
  static final String PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  static final String IMAGE_URL = "https://example.com/cat.png";

  /** The tool's JSON Schema, as every client declares it. */
  static JsonNode toolSchema() { return json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"); }

  static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tool call as a client or an upstream saw it; {@code id} may be null where the wire has none (Gemini). */
  record Call(String id, String name, JsonNode arguments) {}

  /** One answer as the client's SDK returned it: finish reason in the protocol's own word, usage counted OpenAI's way (input includes cached tokens). */
  record Answer(String text, List<Call> calls, String finishReason, long inputTokens, long outputTokens) {}

  record ToolSeen(String name, String description, JsonNode schema) {}

  /** A tool result as the upstream received it; {@code callId} or {@code name} is null where its wire lacks the field. */
  record ResultSeen(String callId, String name, String content) {}

  record ImageSeen(String mediaType, String base64) {}

  /** One upstream request read from the provider's own fields. {@code system} is null when none was sent. */
  record WireRequest(String model, String system, List<String> userTexts, List<ToolSeen> tools, List<Call> assistantCalls,
      List<ResultSeen> results, List<ImageSeen> images) {}
}
