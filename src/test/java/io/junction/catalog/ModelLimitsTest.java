package io.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.Role;
import io.junction.provider.Adapters;
import io.junction.telemetry.Pricing;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The model catalog and what translation takes from it: output caps and reasoning only for reasoning models. */
class ModelLimitsTest {

  private static ChatRequest thinkingRequest(int maxTokens) {
    ChatRequest r = new ChatRequest();
    r.messages.add(Message.of(Role.USER, new Part.Text("hi")));
    r.maxTokens = maxTokens;
    r.reasoning = new Reasoning(null, 10_000, false); // Claude Code's thinking budget
    return r;
  }

  private static JsonNode encode(String type, ChatRequest r, String model) throws Exception {
    return Json.parse(Adapters.forType(type).codec().encodeRequest(r, model));
  }

  @Test
  void everyPricedModelHasACatalogEntry() throws Exception {
    JsonNode models;
    try (InputStream in = ModelCatalog.class.getResourceAsStream("/models.json")) {
      models = Json.MAPPER.readTree(in).get("models");
    }
    Pricing pricing = Pricing.catalog();
    assertThat(pricing.size()).isGreaterThanOrEqualTo(400);
    for (String priced : pricing.all().keySet()) {
      assertThat(ModelCatalog.shipped().all()).as(priced).containsKey(priced);
    }
    assertThat(models.size()).isEqualTo(pricing.size());
    long known = ModelCatalog.shipped().all().values().stream().filter(m -> m.contextWindow() != null).count();
    assertThat(known).as("entries with a known context window").isGreaterThan(pricing.size() * 9L / 10);
    ModelInfo sonnet = ModelCatalog.shipped().find("anthropic", "claude-sonnet-4-5-20250929").orElseThrow();
    assertThat(sonnet.maxOutputTokens()).isEqualTo(64_000);
    assertThat(sonnet.reasoning()).isTrue();
    assertThat(sonnet.images()).isTrue();
    assertThat(ModelCatalog.shipped().find(null, "gpt-3.5-turbo").orElseThrow().images()).isFalse();
  }

  @Test
  void claudeCodeThinkingDoesNotBecomeReasoningEffortForGpt4o() throws Exception {
    JsonNode gpt4o = encode("openai", thinkingRequest(1000), "gpt-4o");
    assertThat(gpt4o.has("reasoning_effort")).isFalse();
    JsonNode o3 = encode("openai", thinkingRequest(1000), "o3");
    assertThat(o3.path("reasoning_effort").asText()).isEqualTo("high");
    JsonNode unknown = encode("openai", thinkingRequest(1000), "my-own-model");
    assertThat(unknown.has("reasoning_effort")).as("unknown models keep the request").isTrue();
  }

  @Test
  void maxTokensIsCappedAtTheTargetModelsOutputLimit() throws Exception {
    assertThat(encode("openai", thinkingRequest(100_000), "gpt-4o").path("max_tokens").asInt()).isEqualTo(16_384);
    assertThat(encode("openai", thinkingRequest(1_000), "gpt-4o").path("max_tokens").asInt()).isEqualTo(1_000);
    JsonNode gemini = encode("gemini", thinkingRequest(500_000), "gemini-2.0-flash");
    assertThat(gemini.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(8_192);
    assertThat(gemini.path("generationConfig").has("thinkingConfig")).as("2.0 flash does not think").isFalse();
    JsonNode claude = encode("anthropic", thinkingRequest(200_000), "claude-sonnet-4-5-20250929");
    assertThat(claude.path("max_tokens").asInt()).isEqualTo(64_000);
    assertThat(claude.path("thinking").path("budget_tokens").asInt()).isLessThan(64_000);
    JsonNode haiku3 = encode("anthropic", thinkingRequest(4_000), "claude-3-haiku-20240307");
    assertThat(haiku3.has("thinking")).as("Claude 3 Haiku has no extended thinking").isFalse();
  }
}
