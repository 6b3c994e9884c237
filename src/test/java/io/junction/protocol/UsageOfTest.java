package io.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.bedrock.BedrockCodec;
import io.junction.protocol.cohere.CohereCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockCohereServer;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The streaming usage readers of relayed answers ({@link UpstreamCodec#usageOf}) against the full
 * decode ({@code decodeResponse(body).usage}): the same usage for valid answers, and the same 502
 * for garbage.
 */
class UsageOfTest {
  private final Random random = new Random(7);

  record Protocol(String name, UpstreamCodec codec, Function<ChatResponse, JsonNode> encode) {}

  private static ChatRequest request() {
    ChatRequest r = new ChatRequest();
    r.model = "model-x";
    return r;
  }

  private static JsonNode parse(Buffer b) {
    try {
      return Json.parse(b);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final List<Protocol> PROTOCOLS = List.of(
      new Protocol("openai", OpenAiCodec.INSTANCE, r -> parse(OpenAiCodec.INSTANCE.encodeResponse(r, request()))),
      new Protocol("anthropic", AnthropicCodec.INSTANCE, r -> parse(AnthropicCodec.INSTANCE.encodeResponse(r, request()))),
      new Protocol("gemini", GeminiCodec.INSTANCE, r -> parse(GeminiCodec.INSTANCE.encodeResponse(r, request()))),
      new Protocol("cohere", new CohereCodec(), MockCohereServer::json),
      new Protocol("bedrock", new BedrockCodec(), MockBedrockServer::json));

  private ChatResponse answer() {
    ChatResponse r = new ChatResponse();
    r.id = "id-1";
    if (random.nextBoolean()) r.content.add(new Part.Thinking("hmm", "sig", null));
    r.content.add(new Part.Text("The answer, with \"usage\": {\"input_tokens\": 1} in it"));
    if (random.nextBoolean()) r.content.add(new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    r.finishReason = FinishReason.STOP;
    long input = 10 + random.nextInt(5000);
    long cacheRead = random.nextInt(10);
    r.usage = new Usage(input, random.nextInt(900), cacheRead, random.nextInt(4), random.nextInt(3));
    return r;
  }

  /** The same object with its fields in reverse order (usage first), nested objects included. */
  private static JsonNode reversed(JsonNode n) {
    if (!n.isObject()) return n;
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) fields.add(it.next());
    ObjectNode out = Json.object();
    for (int i = fields.size() - 1; i >= 0; i--) out.set(fields.get(i).getKey(), reversed(fields.get(i).getValue()));
    return out;
  }

  @Test
  void validAnswersGiveTheDecodedUsage() {
    for (Protocol p : PROTOCOLS) {
      for (int round = 0; round < 50; round++) {
        JsonNode body = p.encode().apply(answer());
        for (JsonNode variant : List.of(body, reversed(body))) {
          Buffer bytes = Json.buffer(variant);
          Usage decoded = p.codec().decodeResponse(bytes).usage;
          assertThat(p.codec().usageOf(bytes)).as("%s: %s", p.name(), variant).isEqualTo(decoded);
          if (round == 0) assertThat(decoded.inputTokens()).as(p.name()).isPositive();
        }
      }
    }
  }

  @Test
  void garbageIsA502AsForTheFullDecode() {
    List<String> garbage = List.of("", "   ", "not json", "[1,2]", "42", "\"text\"", "{\"usage\":{\"prompt_tokens\":1}",
        "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "{\"content\":[],\"type\":\"message\",\"usage\":{\"input_tokens\":3}} x");
    for (Protocol p : PROTOCOLS) {
      for (String body : garbage) {
        assertThatThrownBy(() -> p.codec().decodeResponse(Buffer.buffer(body))).as("decode %s: %s", p.name(), body)
            .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
        assertThatThrownBy(() -> p.codec().usageOf(Buffer.buffer(body))).as("usageOf %s: %s", p.name(), body)
            .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
      }
    }
  }

  /** Objects without the protocol's required shape: a 502 exactly when the full decode gives one. */
  @Test
  void missingShapeIsA502ExactlyWhenTheDecodeSaysSo() {
    List<String> shapes = List.of("{}", "{\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}",
        "{\"type\":\"message\",\"content\":{}}", "{\"type\":\"error\",\"content\":[]}", "{\"type\":null,\"content\":[],\"usage\":null}",
        "{\"content\":[],\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":2}}",
        "{\"message\":[]}", "{\"message\":{},\"usage\":{\"billed_units\":{\"input_tokens\":4}}}", "{\"message\":null}",
        "{\"output\":{\"message\":{\"content\":{}}}}", "{\"output\":{\"message\":{\"content\":[]}},\"usage\":{\"inputTokens\":3}}",
        "{\"output\":[],\"usage\":{}}", "{\"output\":{\"message\":[]}}",
        "{\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":2}}", "{\"usageMetadata\":null}");
    for (Protocol p : PROTOCOLS) {
      if (p.name().equals("openai")) continue; // usageOf also reads embeddings answers, which have no choices
      for (String body : shapes) {
        Usage decoded;
        try {
          decoded = p.codec().decodeResponse(Buffer.buffer(body)).usage;
        } catch (GatewayException e) {
          assertThatThrownBy(() -> p.codec().usageOf(Buffer.buffer(body))).as("usageOf %s: %s", p.name(), body)
              .isInstanceOfSatisfying(GatewayException.class, g -> assertThat(g.status).isEqualTo(502));
          continue;
        }
        assertThat(p.codec().usageOf(Buffer.buffer(body))).as("usageOf %s: %s", p.name(), body).isEqualTo(decoded);
      }
    }
  }
}
