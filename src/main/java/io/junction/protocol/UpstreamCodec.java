package io.junction.protocol;

import io.vertx.core.buffer.Buffer;

/** The client side of a wire protocol: how Junction talks to an upstream that speaks it. */
public interface UpstreamCodec {

  Protocol protocol();

  /** Encodes the canonical request for the upstream, with {@code upstreamModel} as the model. */
  Buffer encodeRequest(ChatRequest request, String upstreamModel);

  /** Decodes a complete upstream answer; throws a 502 {@link GatewayException} on garbage. */
  ChatResponse decodeResponse(Buffer body);

  /** A fresh decoder for one upstream stream. */
  StreamDecoder streamDecoder();

  /**
   * Extracts the message of an upstream error body (status >= 400). Must not throw: garbage
   * bodies give a generic message.
   */
  String errorMessage(int status, Buffer body);

  /**
   * A tap for relaying this protocol's stream unchanged to a client of the same protocol.
   * {@code clientWantsUsage} is OpenAI's {@code stream_options.include_usage} as the client sent it.
   */
  default StreamTap passthroughTap(boolean clientWantsUsage) { return StreamTap.decoding(streamDecoder()); }

  /** The body of the provider's token-count call for this request, or null when the protocol has none. */
  default Buffer encodeCountTokensRequest(ChatRequest request, String upstreamModel) { return null; }

  /** The input-token count from the answer of a count call built by {@link #encodeCountTokensRequest}. */
  default long decodeCountTokensResponse(Buffer body) {
    throw new UnsupportedOperationException(protocol() + " has no token-count endpoint");
  }
}
