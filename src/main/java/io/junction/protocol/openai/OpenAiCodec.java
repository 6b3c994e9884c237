package io.junction.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The OpenAI Chat Completions protocol, as a server (clients' side) and as a client (upstreams). */
public final class OpenAiCodec implements InboundCodec, UpstreamCodec {
  public static final OpenAiCodec INSTANCE = new OpenAiCodec();

  @Override public Protocol protocol() { return Protocol.OPENAI; }

  @Override
  public ChatRequest decodeRequest(JsonNode body, String pathModel) { return OpenAiRequests.decode(body); }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest req) {
    return Json.buffer(OpenAiResponses.encode(response, req.model));
  }

  @Override public StreamEncoder streamEncoder(ChatRequest req) { return new OpenAiStreamEncoder(req); }

  @Override public Buffer encodeError(GatewayException error) { return OpenAiErrors.encode(error); }

  @Override
  public Buffer encodeRequest(ChatRequest request, String upstreamModel) {
    return Json.buffer(OpenAiRequests.encode(request, upstreamModel));
  }

  @Override public ChatResponse decodeResponse(Buffer body) { return OpenAiResponses.decode(Json.parseUpstream(body)); }

  @Override public StreamDecoder streamDecoder() { return new OpenAiStreamDecoder(); }

  @Override public String errorMessage(int status, Buffer body) { return OpenAiErrors.message(status, body); }

  @Override public io.junction.protocol.StreamTap passthroughTap(boolean clientWantsUsage) { return new OpenAiStreamTap(clientWantsUsage); }

  /**
   * Reads only {@code usage} of a chat.completion or embeddings body, skipping the rest token by
   * token: the answer is relayed as-is, so building a tree of it would be wasted work.
   */
  @Override
  public Usage usageOf(Buffer body) {
    try (JsonParser p = Json.MAPPER.createParser(body.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw GatewayException.badGateway("Upstream answer is not a JSON object");
      Usage usage = Usage.ZERO;
      String tier = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("usage".equals(field)) usage = OpenAiResponses.usage((JsonNode) Json.EMBEDDED_VALUE.readTree(p));
        else if ("service_tier".equals(field) && p.currentToken() == JsonToken.VALUE_STRING) tier = OpenAiResponses.tier(p.getText());
        else p.skipChildren();
      }
      if (p.nextToken() != null) throw GatewayException.badGateway("Upstream answer has trailing data after its JSON");
      return tier == null ? usage : usage.withTier(tier);
    } catch (IOException e) {
      throw GatewayException.badGateway("Upstream returned a body that is not valid JSON");
    }
  }
}
