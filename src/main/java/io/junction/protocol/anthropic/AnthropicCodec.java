package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamTap;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The Anthropic Messages protocol in both directions: clients speaking it to Junction
 * ({@link InboundCodec}) and Junction calling api.anthropic.com ({@link UpstreamCodec}).
 * A facade; the mapping lives in the package's focused classes.
 */
public final class AnthropicCodec implements InboundCodec, UpstreamCodec {
  public static final AnthropicCodec INSTANCE = new AnthropicCodec();

  @Override
  public Protocol protocol() { return Protocol.ANTHROPIC; }

  // ---- inbound: Anthropic clients -> Junction

  @Override
  public ChatRequest decodeRequest(JsonNode body, String pathModel) {
    return AnthropicRequestDecoder.decodeMessages(body);
  }

  /** A {@code POST /v1/messages/count_tokens} body (no {@code max_tokens}). */
  public ChatRequest decodeCountTokensRequest(JsonNode body) {
    return AnthropicRequestDecoder.decodeCountTokens(body);
  }

  /** The count_tokens answer: {@code {"input_tokens": n}}. */
  public Buffer encodeCountTokensResponse(long inputTokens) {
    return Json.buffer(Json.object().put("input_tokens", inputTokens));
  }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest req) {
    return Json.buffer(AnthropicResponses.encode(response, req.model));
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest req) {
    return new AnthropicStreamEncoder(req.model);
  }

  /**
   * The error in Anthropic's shape. An Anthropic upstream's own error body is relayed unchanged
   * when it has that shape, so clients see exactly what Anthropic said.
   */
  @Override
  public Buffer encodeError(GatewayException error) {
    if (error.upstreamProtocol == Protocol.ANTHROPIC && error.upstreamBody != null && isErrorBody(error.upstreamBody)) {
      return error.upstreamBody;
    }
    return Json.buffer(AnthropicVocabulary.errorJson(AnthropicVocabulary.errorType(error.kind), error.getMessage()));
  }

  private static boolean isErrorBody(Buffer body) {
    try {
      JsonNode n = Json.parse(body);
      return n != null && "error".equals(n.path("type").asText()) && n.path("error").path("message").isTextual();
    } catch (IOException e) {
      return false;
    }
  }

  // ---- upstream: Junction -> api.anthropic.com

  @Override
  public Buffer encodeRequest(ChatRequest request, String upstreamModel) {
    return Json.buffer(AnthropicRequestEncoder.encodeMessages(request, upstreamModel));
  }

  /** The body for {@code POST /v1/messages/count_tokens}. */
  @Override
  public Buffer encodeCountTokensRequest(ChatRequest request, String upstreamModel) {
    return Json.buffer(AnthropicRequestEncoder.encodeCountTokens(request, upstreamModel));
  }

  /** {@code input_tokens} of a count_tokens answer; 502 on garbage. */
  @Override
  public long decodeCountTokensResponse(Buffer body) {
    JsonNode tokens = Json.parseUpstream(body).path("input_tokens");
    if (!tokens.canConvertToLong() || !tokens.isIntegralNumber()) {
      throw GatewayException.badGateway("Upstream count_tokens answer has no input_tokens");
    }
    return tokens.asLong();
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return AnthropicResponses.decode(Json.parseUpstream(body));
  }

  /** The usage of a message relayed as-is, read by a streaming scan (no tree); a 502 on garbage, as {@link #decodeResponse}. */
  @Override
  public Usage usageOf(Buffer body) { return AnthropicResponses.usageOf(body); }

  @Override
  public StreamDecoder streamDecoder() {
    return new AnthropicStreamDecoder();
  }

  @Override
  public StreamTap passthroughTap(boolean clientWantsUsage) { return new AnthropicStreamTap(); }

  @Override
  public String errorMessage(int status, Buffer body) {
    try {
      JsonNode message = Json.parse(body).path("error").path("message");
      if (message.isTextual() && !message.asText().isBlank()) return message.asText();
    } catch (IOException | RuntimeException e) {
      // not JSON: fall through to the generic message
    }
    return "Anthropic returned HTTP " + status;
  }
}
