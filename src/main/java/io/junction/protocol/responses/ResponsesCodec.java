package io.junction.protocol.responses;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
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
import io.junction.protocol.openai.OpenAiCodec;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The OpenAI Responses API ({@code POST /v1/responses}), as a server (clients' side) and as a
 * client (the {@code openai-responses} upstream). {@link #INSTANCE} is stateless; a
 * {@link #capturing} instance is made per call when the answer is to be stored, and hands the final
 * Response object the client gets to its {@link ResponseCapture}, whichever path produced it
 * (translated JSON or stream, or relayed unchanged).
 */
public final class ResponsesCodec implements InboundCodec, UpstreamCodec {
  public static final ResponsesCodec INSTANCE = new ResponsesCodec(null);

  private final ResponseCapture capture;

  private ResponsesCodec(ResponseCapture capture) { this.capture = capture; }

  /** A codec for one call whose final Response object goes to {@code capture}. */
  public static ResponsesCodec capturing(ResponseCapture capture) { return new ResponsesCodec(capture); }

  /** Where this codec puts the final Response object, or null for {@link #INSTANCE}. */
  public ResponseCapture capture() { return capture; }

  private Consumer<ObjectNode> sink() { return capture == null ? null : capture::set; }

  @Override public Protocol protocol() { return Protocol.RESPONSES; }

  // ---- inbound ----

  @Override
  public ChatRequest decodeRequest(JsonNode body, String pathModel) {
    ChatRequest r = ResponsesRequests.decode(body);
    if (capture != null && capture.previousResponseId() != null) {
      ((ResponsesContext) r.inboundContext).echo.put("previous_response_id", capture.previousResponseId());
    }
    return r;
  }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest req) {
    ObjectNode r = ResponsesOutput.encode(response, ResponsesContext.of(req), req.model);
    if (capture != null) capture.set(r);
    return Json.buffer(r);
  }

  @Override public StreamEncoder streamEncoder(ChatRequest req) { return new ResponsesStreamEncoder(req, sink()); }

  @Override public Buffer encodeError(GatewayException error) { return OpenAiCodec.INSTANCE.encodeError(error); }

  @Override
  public void relayed(Buffer body) {
    if (capture == null || !capture.wanted()) return;
    try {
      if (Json.parse(body) instanceof ObjectNode o) capture.set(o);
    } catch (IOException e) {
      // usageOf already refused a body that is not JSON
    }
  }

  @Override
  public StreamTap relayTap(StreamTap upstreamTap) {
    return capture == null || !capture.wanted() ? upstreamTap : new ResponsesTap(capture::set);
  }

  // ---- upstream ----

  @Override
  public Buffer encodeRequest(ChatRequest request, String upstreamModel) {
    return Json.buffer(ResponsesRequests.encode(request, upstreamModel));
  }

  @Override public ChatResponse decodeResponse(Buffer body) { return ResponsesOutput.decode(Json.parseUpstream(body)); }

  @Override public StreamDecoder streamDecoder() { return new ResponsesStreamDecoder(); }

  @Override public String errorMessage(int status, Buffer body) { return OpenAiCodec.INSTANCE.errorMessage(status, body); }

  @Override public StreamTap passthroughTap(boolean clientWantsUsage) { return new ResponsesTap(null); }

  /** Reads only {@code usage} of a Response object relayed as-is (and checks it is one). */
  @Override
  public Usage usageOf(Buffer body) {
    try (JsonParser p = Json.MAPPER.createParser(body.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw GatewayException.badGateway("Upstream answer is not a JSON object");
      Usage usage = Usage.ZERO;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("usage".equals(field)) usage = ResponsesOutput.usage((JsonNode) Json.EMBEDDED_VALUE.readTree(p));
        else p.skipChildren();
      }
      if (p.nextToken() != null) throw GatewayException.badGateway("Upstream answer has trailing data after its JSON");
      return usage;
    } catch (IOException e) {
      throw GatewayException.badGateway("Upstream returned a body that is not valid JSON");
    }
  }
}
