package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;

/**
 * Google AI Studio's generateContent protocol, both as Junction's server (Google GenAI SDK
 * clients) and as its client (generativelanguage.googleapis.com). Stateless; the work is done by
 * the request, response, stream and error classes of this package.
 */
public final class GeminiCodec implements InboundCodec, UpstreamCodec {
  public static final GeminiCodec INSTANCE = new GeminiCodec();

  @Override
  public Protocol protocol() { return Protocol.GEMINI; }

  // ---- inbound: clients speaking Gemini to Junction

  /** {@code pathModel} is the {model} of {@code /v1beta/models/{model}:generateContent}. */
  @Override
  public ChatRequest decodeRequest(JsonNode body, String pathModel) {
    return GeminiRequestDecoder.decode(body, pathModel);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest req) {
    return Json.buffer(GeminiResponses.encode(response, req == null ? null : req.model));
  }

  /** The {@code ?alt=sse} form; see {@link #streamEncoder(ChatRequest, boolean)}. */
  @Override
  public StreamEncoder streamEncoder(ChatRequest req) { return streamEncoder(req, true); }

  /** {@code sse} for {@code ?alt=sse}; otherwise the answer is one JSON array streamed element by element. */
  public StreamEncoder streamEncoder(ChatRequest req, boolean sse) {
    return new GeminiStreamEncoder(req == null ? null : req.model, sse);
  }

  @Override
  public String streamContentType(ChatRequest req) { return streamContentType(true); }

  public String streamContentType(boolean sse) { return sse ? "text/event-stream" : "application/json"; }

  /**
   * This codec as seen by a {@code :streamGenerateContent} call without {@code ?alt=sse}: its
   * streams are one JSON array. Lets the server pick the framing per request without the stream
   * pipeline knowing about it.
   */
  public InboundCodec arrayStreaming() { return ARRAY_STREAMING; }

  private static final InboundCodec ARRAY_STREAMING = new InboundCodec() {
    @Override public Protocol protocol() { return Protocol.GEMINI; }

    @Override public ChatRequest decodeRequest(JsonNode body, String pathModel) { return INSTANCE.decodeRequest(body, pathModel); }

    @Override public Buffer encodeResponse(ChatResponse response, ChatRequest req) { return INSTANCE.encodeResponse(response, req); }

    @Override public StreamEncoder streamEncoder(ChatRequest req) { return INSTANCE.streamEncoder(req, false); }

    @Override public Buffer encodeError(GatewayException error) { return INSTANCE.encodeError(error); }

    @Override public String streamContentType(ChatRequest req) { return INSTANCE.streamContentType(false); }
  };

  @Override
  public Buffer encodeError(GatewayException error) { return GeminiErrors.encode(error); }

  /** {@code GET /v1beta/models} (and {@code /v1/models} for Gemini clients) in Google's shape. */
  public Buffer encodeModelList(List<String> modelIds) {
    ObjectNode body = Json.object();
    ArrayNode models = body.putArray("models");
    for (String id : modelIds) {
      ObjectNode model = models.addObject().put("name", "models/" + id).put("displayName", id);
      model.putArray("supportedGenerationMethods").add("generateContent").add("streamGenerateContent").add("countTokens");
    }
    return Json.buffer(body);
  }

  /** A {@code :countTokens} body: either {@code contents} or a whole {@code generateContentRequest}. */
  public ChatRequest decodeCountTokens(JsonNode body, String pathModel) {
    return GeminiRequestDecoder.decodeCountTokens(body, pathModel);
  }

  /** The upstream {@code :countTokens} body: the whole request, so system prompt and tools count too. */
  @Override
  public Buffer encodeCountTokensRequest(ChatRequest request, String upstreamModel) {
    ObjectNode inner = GeminiRequestEncoder.encode(request, upstreamModel);
    inner.put("model", "models/" + upstreamModel);
    ObjectNode body = Json.object();
    body.set("generateContentRequest", inner);
    return Json.buffer(body);
  }

  /** {@code totalTokens} of an upstream {@code :countTokens} answer; a 502 on garbage. */
  @Override
  public long decodeCountTokensResponse(Buffer body) {
    JsonNode total = Json.parseUpstream(body).get("totalTokens");
    if (total == null || !total.canConvertToLong()) throw GatewayException.badGateway("Gemini countTokens answered without totalTokens");
    return total.asLong();
  }

  public Buffer encodeCountTokens(long totalTokens) {
    return Json.buffer(Json.object().put("totalTokens", totalTokens));
  }

  // ---- upstream: Junction calling Gemini

  @Override
  public Buffer encodeRequest(ChatRequest request, String upstreamModel) {
    return Json.buffer(GeminiRequestEncoder.encode(request, upstreamModel));
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return GeminiResponses.decode(Json.parseUpstream(body));
  }

  /** The usage of an answer relayed as-is, read by a streaming scan (no tree); a 502 on garbage, as {@link #decodeResponse}. */
  @Override
  public Usage usageOf(Buffer body) { return GeminiResponses.usageOf(body); }

  /** For the {@code ?alt=sse} stream, which is what {@code GeminiAdapter} always asks for. */
  @Override
  public StreamDecoder streamDecoder() { return new GeminiStreamDecoder(); }

  @Override
  public StreamTap passthroughTap(boolean clientWantsUsage) { return new GeminiStreamTap(); }

  @Override
  public String errorMessage(int status, Buffer body) { return GeminiErrors.message(status, body); }
}
