package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical events to Gemini's stream: whole GenerateContentResponse chunks, framed either as
 * SSE ({@code data: {…}\r\n\r\n}, for {@code ?alt=sse}) or as one JSON array streamed element by
 * element ({@code [{…}}, {@code ,\r\n{…}}, …, {@code ]}). A function call goes out whole once its
 * arguments are complete, since Gemini never streams partial args.
 *
 * <p>Each content chunk is written when the next one arrives, one event late: the last chunk must
 * carry content together with finishReason and usageMetadata, as Gemini's own does. The Python
 * SDK's chat drops a streamed turn from its history when any chunk has no content.
 */
final class GeminiStreamEncoder implements StreamEncoder {

  private record PendingCall(String id, String name, StringBuilder arguments) {}

  private final boolean sse;
  private String responseId;
  private String model;
  private Usage usage = Usage.ZERO;
  private FinishReason finishReason = FinishReason.STOP;
  /** Tool calls whose arguments are still arriving, by canonical index. */
  private final Map<Integer, PendingCall> calls = new TreeMap<>();
  /** A thought signature waiting for the next part to ride on. */
  private String signature;
  /** The latest content chunk, written when more content comes or, completed, at the end. */
  private ObjectNode held;
  private boolean opened;
  private boolean closed;

  GeminiStreamEncoder(String requestModel, boolean sse) {
    this.model = requestModel;
    this.sse = sse;
  }

  @Override
  public void encode(StreamEvent event, Buffer out) {
    if (closed) return;
    try {
      switch (event) {
        case StreamEvent.Start s -> {
          if (s.id() != null) responseId = s.id();
          if (s.model() != null) model = s.model();
          usage = usage.merge(s.usage());
        }
        case StreamEvent.TextDelta t -> {
          flushCalls(out);
          if (!t.text().isEmpty()) emitParts(out, single(Json.object().put("text", t.text())));
        }
        case StreamEvent.ThinkingDelta t -> {
          flushCalls(out);
          if (!t.text().isEmpty()) emitParts(out, single(Json.object().put("text", t.text()).put("thought", true)));
        }
        case StreamEvent.ThinkingSignature s -> sign(s.signature());
        case StreamEvent.RedactedThinking ignored -> { }
        case StreamEvent.ToolCallStart s -> calls.put(s.index(), new PendingCall(s.id(), s.name(), new StringBuilder()));
        case StreamEvent.ToolCallDelta d -> {
          PendingCall call = calls.get(d.index());
          if (call == null) throw GatewayException.badGateway("The upstream sent arguments for tool call " + d.index() + " before starting it");
          call.arguments.append(d.argumentsFragment());
        }
        case StreamEvent.Finish f -> {
          flushCalls(out);
          finishReason = f.reason();
        }
        case StreamEvent.UsageReport u -> usage = usage.merge(u.usage());
        case StreamEvent.End ignored -> {
          flushCalls(out);
          emit(out, lastChunk());
          if (!sse) out.appendString("]");
          closed = true;
        }
        case StreamEvent.Error e -> fail(new GatewayException(ErrorKind.BAD_GATEWAY, e.message()), out);
      }
    } catch (GatewayException e) {
      fail(e, out);
    }
  }

  @Override
  public void fail(GatewayException error, Buffer out) {
    if (closed) return;
    closed = true;
    if (held != null) emit(out, held);
    // An error element the SDKs raise, and for the array form no closing bracket.
    emit(out, GeminiErrors.errorObject(error));
  }

  /**
   * A signature that closes a thought (Anthropic's order: thinking text, then its signature)
   * belongs on that thought part; any other waits for the next part, as Gemini puts it on calls.
   */
  private void sign(String thoughtSignature) {
    JsonNode parts = held == null ? null : held.at("/candidates/0/content/parts");
    JsonNode last = parts == null || parts.isEmpty() ? null : parts.get(parts.size() - 1);
    if (last != null && last.path("thought").asBoolean(false) && !last.has("thoughtSignature")) {
      ((ObjectNode) last).put("thoughtSignature", thoughtSignature);
    } else {
      signature = thoughtSignature;
    }
  }

  /** Parallel calls complete together: they go out in one chunk, in index order. */
  private void flushCalls(Buffer out) {
    if (calls.isEmpty()) return;
    ArrayNode parts = Json.array();
    for (PendingCall call : calls.values()) {
      ObjectNode part = Json.object();
      part.set("functionCall", GeminiResponses.functionCall(call.id, call.name, call.arguments.toString()));
      parts.add(part);
    }
    calls.clear();
    emitParts(out, parts);
  }

  private static ArrayNode single(ObjectNode part) {
    return Json.array().add(part);
  }

  private void emitParts(Buffer out, ArrayNode parts) {
    if (signature != null) {
      ((ObjectNode) parts.get(0)).put("thoughtSignature", signature);
      signature = null;
    }
    ObjectNode chunk = Json.object();
    ObjectNode content = chunk.putArray("candidates").addObject().putObject("content");
    content.set("parts", parts);
    content.put("role", "model");
    ((ObjectNode) chunk.get("candidates").get(0)).put("index", 0);
    if (held != null) emit(out, held);
    held = withIds(chunk);
  }

  /** The held content chunk completed with finishReason and usage (or those alone for an empty answer). */
  private ObjectNode lastChunk() {
    ObjectNode candidate = held != null ? (ObjectNode) held.get("candidates").get(0) : Json.object().put("index", 0);
    if (signature != null) attachTrailingSignature(candidate);
    candidate.put("finishReason", GeminiVocabulary.finishReason(finishReason));
    ObjectNode chunk = Json.object();
    chunk.putArray("candidates").add(candidate);
    chunk.set("usageMetadata", GeminiVocabulary.usageMetadata(usage));
    return withIds(chunk);
  }

  /** A signature with no part after it rides on the last part, or on an empty text part of its own. */
  private void attachTrailingSignature(ObjectNode candidate) {
    ObjectNode content = candidate.has("content") ? (ObjectNode) candidate.get("content") : candidate.putObject("content");
    ArrayNode parts = content.has("parts") ? (ArrayNode) content.get("parts") : content.putArray("parts");
    content.put("role", "model");
    ObjectNode last = parts.isEmpty() ? null : (ObjectNode) parts.get(parts.size() - 1);
    if (last == null || last.has("thoughtSignature")) last = parts.addObject().put("text", "");
    last.put("thoughtSignature", signature);
  }

  private ObjectNode withIds(ObjectNode chunk) {
    if (model != null) chunk.put("modelVersion", model);
    if (responseId != null) chunk.put("responseId", responseId);
    return chunk;
  }

  private void emit(Buffer out, ObjectNode chunk) {
    if (sse) {
      out.appendString("data: ").appendString(Json.text(chunk)).appendString("\r\n\r\n");
    } else {
      out.appendString(opened ? ",\r\n" : "[").appendString(Json.text(chunk));
    }
    opened = true;
  }
}
