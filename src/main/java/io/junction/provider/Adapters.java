package io.junction.provider;

import java.util.Map;
import java.util.Set;

/** Adapter types by config name. Adding an OpenAI-compatible service is a preset, not an entry here. */
public final class Adapters {
  private static final Map<String, ProviderAdapter> BY_TYPE = Map.of(
      "openai", new OpenAiAdapter(),
      "openai-responses", new OpenAiResponsesAdapter(),
      "azure", new AzureAdapter(),
      "anthropic", new AnthropicAdapter(),
      "gemini", new GeminiAdapter(),
      "cohere", new CohereAdapter(),
      "bedrock", new BedrockAdapter(),
      "echo", new EchoAdapter());

  private Adapters() {}

  public static ProviderAdapter forType(String type) {
    ProviderAdapter a = BY_TYPE.get(type);
    if (a == null) throw new IllegalArgumentException("Unknown provider type '" + type + "'");
    return a;
  }

  public static Set<String> types() { return BY_TYPE.keySet(); }
}
