package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;

/** The server side of a wire protocol: what clients send Junction and what they get back. */
public interface InboundCodec {

  Protocol protocol();

  /**
   * Decodes a client request body. Throws {@link GatewayException} (400) naming the field on
   * wrong types, missing required fields, wrong role order and the like. {@code pathModel} is the
   * model from the URL for protocols that put it there (Gemini), else null.
   */
  ChatRequest decodeRequest(JsonNode body, String pathModel);

  /** Encodes a complete answer in this protocol. {@code req} is the decoded client request. */
  Buffer encodeResponse(ChatResponse response, ChatRequest req);

  /** A fresh encoder for one streamed answer. */
  StreamEncoder streamEncoder(ChatRequest req);

  /** The body of an error response in this protocol's shape. */
  Buffer encodeError(GatewayException error);

  /**
   * A same-protocol JSON answer relayed unchanged (the fast path): codecs that keep what they
   * answered (the Responses API stores it) look at it here.
   */
  default void relayed(Buffer body) {}

  /** The tap for a same-protocol stream relayed to this client; by default the upstream codec's own. */
  default StreamTap relayTap(StreamTap upstreamTap) { return upstreamTap; }

  /** Content type of a streamed answer. */
  default String streamContentType(ChatRequest req) { return "text/event-stream"; }
}
