package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.responses.ResponsesCodec;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Type {@code openai-responses}: OpenAI (or a compatible server) spoken to through the Responses
 * API only, for models served nowhere else. Chat Completions, Anthropic and Gemini clients are
 * translated to Responses requests; Responses clients are relayed as they are.
 */
public final class OpenAiResponsesAdapter implements ProviderAdapter {
  private final OpenAiAdapter openai = new OpenAiAdapter();

  @Override public String type() { return "openai-responses"; }

  @Override public Protocol protocol() { return Protocol.RESPONSES; }

  @Override public UpstreamCodec codec() { return ResponsesCodec.INSTANCE; }

  @Override public String defaultBaseUrl() { return openai.defaultBaseUrl(); }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    return OpenAiAdapter.auth(UpstreamCall.post(baseUrl(p) + "/responses", body), apiKey);
  }

  @Override
  public UpstreamCall embeddings(ProviderConfig p, String apiKey, Buffer body) { return openai.embeddings(p, apiKey, body); }

  @Override public UpstreamCall listModels(ProviderConfig p, String apiKey) { return openai.listModels(p, apiKey); }

  @Override public List<String> parseModels(Buffer body) { return openai.parseModels(body); }
}
