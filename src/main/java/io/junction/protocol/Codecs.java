package io.junction.protocol;

import io.junction.protocol.openai.OpenAiCodec;
import java.util.EnumMap;
import java.util.Map;

/** The inbound codec of each protocol clients may speak. */
public final class Codecs {
  private static final Map<Protocol, InboundCodec> INBOUND = new EnumMap<>(Protocol.class);

  static {
    INBOUND.put(Protocol.OPENAI, OpenAiCodec.INSTANCE);
    INBOUND.put(Protocol.RESPONSES, io.junction.protocol.responses.ResponsesCodec.INSTANCE);
    INBOUND.put(Protocol.ANTHROPIC, io.junction.protocol.anthropic.AnthropicCodec.INSTANCE);
    INBOUND.put(Protocol.GEMINI, io.junction.protocol.gemini.GeminiCodec.INSTANCE);
  }

  private Codecs() {}

  /** The codec for {@code p}; OpenAI's for protocols clients don't speak. */
  public static InboundCodec inbound(Protocol p) { return INBOUND.getOrDefault(p, OpenAiCodec.INSTANCE); }
}
