package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.PriceConfig;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PricingTest {
  private final Pricing catalog = Pricing.catalog();

  private double input(String provider, String model) {
    return catalog.find(provider, model).orElseThrow().input();
  }

  @Test
  void catalogCoversAtLeastAHundredModelsAcrossTheNamedProviders() throws Exception {
    assertThat(catalog.size()).isGreaterThanOrEqualTo(100);
    assertThat(catalog.checked()).matches("\\d{4}-\\d{2}-\\d{2}");
    JsonNode root;
    try (InputStream in = Pricing.class.getResourceAsStream("/pricing.json")) {
      root = Json.MAPPER.readTree(in);
    }
    assertThat(root.get("source").asText()).isNotBlank();
    Set<String> providers = new HashSet<>();
    root.get("models").forEach(m -> {
      providers.add(m.get("provider").asText());
      assertThat(m.get("input").isNumber() && m.get("output").isNumber()).isTrue();
    });
    assertThat(providers).contains("openai", "anthropic", "gemini", "groq", "together", "mistral", "cohere",
        "deepseek", "xai", "fireworks", "cerebras", "perplexity", "bedrock");
  }

  @Test
  void looksUpExactThenProviderQualifiedThenLongestPrefix() {
    assertThat(input("openai", "gpt-4o")).isEqualTo(2.50);
    assertThat(input(null, "gpt-4o-2024-08-06")).as("dated snapshot -> gpt-4o").isEqualTo(2.50);
    assertThat(input(null, "gpt-4o-mini-2024-07-18")).as("longest prefix wins").isEqualTo(0.15);
    assertThat(input(null, "gpt-4o-2024-05-13")).as("an exact entry beats a prefix").isEqualTo(5);
    assertThat(catalog.find(null, "gpt-4o2")).as("a prefix must end at a separator").isEmpty();
    assertThat(input("groq", "llama-3.3-70b-versatile")).as("provider-qualified entry").isEqualTo(0.59);
    assertThat(input("cerebras", "llama-3.3-70b")).isEqualTo(0.85);
    assertThat(input("anthropic", "claude-sonnet-4-5-20250929")).isEqualTo(3);
    assertThat(input("anthropic", "claude-opus-4-1-20250805")).isEqualTo(15);
    assertThat(input("bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0")).as("region prefix stripped").isEqualTo(0.8);
    assertThat(input("together", "Meta-Llama/Llama-3.3-70B-Instruct-Turbo")).as("case-insensitive").isEqualTo(0.88);
    assertThat(catalog.find("openai", "no-such-model")).isEmpty();
    assertThat(catalog.bill("openai", "no-such-model", new Usage(1_000_000, 1_000_000)).totalUsd()).isZero();
  }

  @Test
  void costBillsCachedAndCacheWriteTokensSeparatelyFromPlainInput() {
    // claude-sonnet-4-5: 3 input, 0.30 cache read, 3.75 cache write, 15 output per 1M.
    // 100k input of which 20k cache reads and 10k cache writes; 50k output (under the 200k long-context tier).
    Usage usage = new Usage(100_000, 50_000, 20_000, 10_000, 0);
    double expected = 0.07 * 3 + 0.02 * 0.30 + 0.01 * 3.75 + 0.05 * 15;
    assertThat(catalog.bill("anthropic", "claude-sonnet-4-5", usage).totalUsd()).isCloseTo(expected, within(1e-9));

    // No cache prices: cached tokens bill as plain input.
    Price flat = Price.of(2, 4, null, null);
    assertThat(flat.cost(1000, 0, 400, 0)).isCloseTo(1000 * 2e-6, within(1e-12));
  }

  @Test
  void configOverridesReplaceAndExtendTheCatalog() {
    Pricing p = Pricing.load(List.of(
        new PriceConfig("gpt-4o", 1, 2, null, null),
        new PriceConfig("my-finetune", 0.5, 1.5, 0.05, null)));
    assertThat(p.find("openai", "gpt-4o-2024-08-06").orElseThrow()).isEqualTo(new Price(1, 2, 1, 1));
    assertThat(p.bill("local", "my-finetune", new Usage(2_000_000, 1_000_000, 1_000_000, 0, 0)).totalUsd())
        .isCloseTo(1 * 0.5 + 1 * 0.05 + 1 * 1.5, within(1e-9));
    assertThat(p.find("openai", "gpt-4o-2024-05-13").orElseThrow()).as("catalog snapshots of an overridden model go too")
        .isEqualTo(new Price(1, 2, 1, 1));
    assertThat(p.find("openai", "gpt-4o-mini").orElseThrow().input()).as("another model is no snapshot").isEqualTo(0.15);
    assertThat(p.size()).isEqualTo(catalog.size() + 1 - 3); // gpt-4o-2024-05-13, -08-06, -11-20 folded into gpt-4o
  }

  @Test
  void badOverridesNameTheirEntry() {
    assertThatThrownBy(() -> Pricing.load(List.of(new PriceConfig("x", 1, 1, null, null),
        new PriceConfig("y", -1, 1, null, null))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pricing[1].input");
    assertThatThrownBy(() -> Pricing.load(List.of(new PriceConfig(" ", 1, 1, null, null))))
        .hasMessage("pricing[0].model is required");
  }
}
