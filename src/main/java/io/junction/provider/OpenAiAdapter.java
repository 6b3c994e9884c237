package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Any OpenAI-compatible server: OpenAI itself and every preset (Groq, Together, Ollama, vLLM, …).
 * Presets differ only in data (base URL, families), so they share this adapter.
 */
public final class OpenAiAdapter implements ProviderAdapter {

  @Override public String type() { return "openai"; }

  @Override public Protocol protocol() { return Protocol.OPENAI; }

  @Override public UpstreamCodec codec() { return OpenAiCodec.INSTANCE; }

  @Override public String defaultBaseUrl() { return "https://api.openai.com/v1"; }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    return auth(UpstreamCall.post(baseUrl(p) + "/chat/completions", body), apiKey);
  }

  @Override
  public UpstreamCall embeddings(ProviderConfig p, String apiKey, Buffer body) {
    return auth(UpstreamCall.post(baseUrl(p) + "/embeddings", body), apiKey);
  }

  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) {
    return auth(UpstreamCall.get(baseUrl(p) + "/models"), apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    return idsOf(Json.parseUpstream(body).path("data"), "id");
  }

  /** Local servers (Ollama, vLLM) often run without a key: no header then. */
  private static UpstreamCall auth(UpstreamCall call, String apiKey) {
    if (apiKey != null && !apiKey.isEmpty()) call.header("authorization", "Bearer " + apiKey);
    return call;
  }

  static List<String> idsOf(JsonNode array, String field) {
    List<String> ids = new ArrayList<>();
    for (JsonNode m : array) if (m.hasNonNull(field)) ids.add(m.get(field).asText());
    return ids;
  }
}
