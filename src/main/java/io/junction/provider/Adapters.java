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
      "vertex", VertexAdapter.GEMINI,
      "echo", new EchoAdapter());

  private Adapters() {}

  public static ProviderAdapter forType(String type) {
    ProviderAdapter a = BY_TYPE.get(type);
    if (a == null) throw new IllegalArgumentException("Unknown provider type '" + type + "'");
    return a;
  }

  /** The adapter for a configured provider: its type's, or for vertex its publisher's. */
  public static ProviderAdapter forConfig(io.junction.config.ProviderConfig c) {
    return "vertex".equals(c.type()) ? VertexAdapter.forPublisher(c.option("publisher")) : forType(c.type());
  }

  public static Set<String> types() { return BY_TYPE.keySet(); }
}
