package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.protocol.responses.ResponsesCodec;
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

  /** OpenAI itself serves the Responses API; compatible services only when configured so (CONTRACT §7). */
  @Override
  public boolean serves(Protocol p, ProviderConfig c) {
    return p == Protocol.OPENAI || (p == Protocol.RESPONSES && responsesApi(c, c.preset() == null || "openai".equals(c.preset())));
  }

  @Override public UpstreamCodec codec(Protocol p) { return p == Protocol.RESPONSES ? ResponsesCodec.INSTANCE : codec(); }

  @Override
  public UpstreamCall call(Protocol p, ProviderConfig c, String apiKey, String model, boolean stream, Buffer body) {
    if (p != Protocol.RESPONSES) return chat(c, apiKey, model, stream, body);
    return auth(UpstreamCall.post(baseUrl(c) + "/responses", body), apiKey);
  }

  /** The provider's {@code responses_api} setting, else {@code byDefault}. */
  static boolean responsesApi(ProviderConfig c, boolean byDefault) {
    String v = c.option("responses_api");
    return v == null ? byDefault : Boolean.parseBoolean(v);
  }

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
  static UpstreamCall auth(UpstreamCall call, String apiKey) {
    if (apiKey != null && !apiKey.isEmpty()) call.header("authorization", "Bearer " + apiKey);
    return call;
  }

  static List<String> idsOf(JsonNode array, String field) {
    List<String> ids = new ArrayList<>();
    for (JsonNode m : array) if (m.hasNonNull(field)) ids.add(m.get(field).asText());
    return ids;
  }
}
