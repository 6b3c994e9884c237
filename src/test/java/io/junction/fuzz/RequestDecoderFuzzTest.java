package io.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.Codecs;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.ModelNames;
import io.junction.protocol.Protocol;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.bedrock.BedrockCodec;
import io.junction.protocol.cohere.CohereCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.protocol.UpstreamCodec;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * Every inbound protocol's request decoder on arbitrary JSON: it may refuse the body only with a
 * {@link GatewayException} (a 400 to the client), never another exception (a 500), and whatever
 * it accepts must translate to every upstream protocol the same way. Seeds: the conformance
 * scenarios in each protocol ({@code FuzzSeeds}); crashes found are kept next to them.
 */
class RequestDecoderFuzzTest {
  private static final List<UpstreamCodec> UPSTREAMS = List.of(OpenAiCodec.INSTANCE, AnthropicCodec.INSTANCE,
      GeminiCodec.INSTANCE, new CohereCodec(), new BedrockCodec());

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void openai(byte[] input) { decode(Protocol.OPENAI, input); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void anthropic(byte[] input) { decode(Protocol.ANTHROPIC, input); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void gemini(byte[] input) { decode(Protocol.GEMINI, input); }

  private static void decode(Protocol protocol, byte[] input) {
    JsonNode body;
    try {
      body = Json.parse(Buffer.buffer(input));
    } catch (IOException notJson) {
      return; // answered 400 before any decoder runs
    }
    ChatRequest request;
    try {
      request = Codecs.inbound(protocol).decodeRequest(body, protocol == Protocol.GEMINI ? "gemini-2.5-flash" : null);
      ModelNames.check(request.model);
    } catch (GatewayException refused) {
      return;
    }
    for (UpstreamCodec upstream : UPSTREAMS) {
      try {
        upstream.encodeRequest(request, "model-1");
      } catch (GatewayException refused) {
        // a request this upstream can't take (e.g. an image by URL for Bedrock): a 400, as designed
      }
    }
  }
}
