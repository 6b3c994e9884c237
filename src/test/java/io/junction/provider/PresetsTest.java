package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PresetsTest {

  @Test
  void loadsEveryShippedPresetWithItsDefaults() {
    assertThat(Presets.all()).extracting(Preset::name).containsExactly(
        "openai", "anthropic", "gemini", "cohere", "azure", "bedrock", "groq", "together", "mistral", "deepseek",
        "xai", "openrouter", "fireworks", "cerebras", "perplexity", "vertex", "sambanova", "deepinfra", "nebius", "novita",
        "hyperbolic", "moonshot", "zhipu", "dashscope", "huggingface", "nvidia", "baseten", "github",
        "ollama", "lmstudio", "vllm", "litellm");
    assertThat(Presets.all()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(Presets.get("groq")).isEqualTo(new Preset("groq", "openai", "https://api.groq.com/openai/v1",
        "bearer", java.util.List.of(), "GROQ_API_KEY", false));
    assertThat(Presets.get("anthropic").baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(Presets.get("gemini").baseUrl()).isEqualTo("https://generativelanguage.googleapis.com");
    assertThat(Presets.get("ollama").baseUrl()).isEqualTo("http://localhost:11434/v1");
    assertThat(Presets.get("ollama").keyOptional()).isTrue();
    assertThat(Presets.get("azure").baseUrl()).isNull();
    assertThat(Presets.get("nope")).isNull();
    assertThat(Presets.get(null)).isNull();
  }

  @Test
  void everyPresetIsServedByAKnownAdapterType() {
    assertThat(Presets.all()).allSatisfy(p -> {
      assertThat(p.type()).isIn("openai", "anthropic", "gemini", "cohere", "azure", "bedrock", "vertex");
      assertThat(p.envKey()).isNotBlank();
    });
  }

  @Test
  void familyOfFollowsTheContractPrefixes() {
    assertThat(Presets.familyOf("gpt-4o")).isEqualTo("openai");
    assertThat(Presets.familyOf("o1-mini")).isEqualTo("openai");
    assertThat(Presets.familyOf("o3")).isEqualTo("openai");
    assertThat(Presets.familyOf("o4-mini")).isEqualTo("openai");
    assertThat(Presets.familyOf("chatgpt-4o-latest")).isEqualTo("openai");
    assertThat(Presets.familyOf("text-embedding-3-small")).isEqualTo("openai");
    assertThat(Presets.familyOf("claude-sonnet-4-5")).isEqualTo("anthropic");
    assertThat(Presets.familyOf("gemini-2.5-flash")).isEqualTo("gemini");
    assertThat(Presets.familyOf("command-r-plus")).isEqualTo("cohere");
    assertThat(Presets.familyOf("mistral-large-latest")).isEqualTo("mistral");
    assertThat(Presets.familyOf("codestral-latest")).isEqualTo("mistral");
    assertThat(Presets.familyOf("GPT-4o")).isEqualTo("openai");
  }

  @Test
  void longestPrefixWinsSoTextEmbedding004IsGemini() {
    assertThat(Presets.familyOf("text-embedding-004")).isEqualTo("gemini");
    assertThat(Presets.familyOf("text-embedding-ada-002")).isEqualTo("openai");
  }

  @Test
  void unknownFamiliesAreNull() {
    assertThat(Presets.familyOf("llama-3.3-70b")).isNull();
    assertThat(Presets.familyOf("")).isNull();
    assertThat(Presets.familyOf(null)).isNull();
  }
}
