package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.protocol.responses.ResponsesCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any OpenAI-compatible server: OpenAI itself and every preset (Groq, Together, Ollama, vLLM, …).
 * Presets differ only in data — base URL, how the key is sent, a model prefix, fields a service
 * refuses, extra headers — which this adapter applies (see {@link Preset}).
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
    Preset preset = Presets.get(p.preset());
    return auth(UpstreamCall.post(baseUrl(p) + "/chat/completions", applyQuirks(preset, body)), apiKey, preset);
  }

  @Override
  public UpstreamCall embeddings(ProviderConfig p, String apiKey, Buffer body) {
    Preset preset = Presets.get(p.preset());
    return auth(UpstreamCall.post(baseUrl(p) + "/embeddings", applyQuirks(preset, body)), apiKey, preset);
  }

  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) {
    Preset preset = Presets.get(p.preset());
    boolean ownBase = p.baseUrl() == null || preset == null || p.baseUrl().equals(preset.baseUrl());
    String url = preset != null && preset.modelsUrl() != null && ownBase ? preset.modelsUrl() : baseUrl(p) + "/models";
    return auth(UpstreamCall.get(url), apiKey, preset);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    JsonNode root = Json.parseUpstream(body);
    // GitHub Models' catalog is a bare array of {id, ...}; everyone else wraps it in {data: [...]}.
    return idsOf(root.isArray() ? root : root.path("data"), "id");
  }

  /** Bearer auth without a preset's quirks (the Responses API calls). */
  static UpstreamCall auth(UpstreamCall call, String apiKey) { return auth(call, apiKey, null); }

  /**
   * The body with the preset's model prefix and refused fields applied; the same buffer when the
   * preset has neither (the common case costs nothing).
   */
  static Buffer applyQuirks(Preset preset, Buffer body) {
    if (preset == null || body == null || preset.modelPrefix() == null && preset.dropParams().isEmpty()) return body;
    JsonNode parsed = Json.parseUpstream(body);
    if (!(parsed instanceof ObjectNode root) || !root.path("model").isTextual()) return body;
    String model = root.get("model").asText();
    List<String> drop = preset.droppedFor(model);
    String upstream = preset.upstreamModel(model);
    if (drop.isEmpty() && upstream.equals(model)) return body;
    root.remove(drop);
    root.put("model", upstream);
    return Json.buffer(root);
  }

  /** Local servers (Ollama, vLLM; auth {@code none}) often run without a key: no header then, Bearer when one is set. */
  private static UpstreamCall auth(UpstreamCall call, String apiKey, Preset preset) {
    if (preset != null) {
      for (Map.Entry<String, String> h : preset.headers().entrySet()) call.header(h.getKey(), h.getValue());
    }
    if (apiKey == null || apiKey.isEmpty()) return call;
    String style = preset == null || preset.auth() == null ? "bearer" : preset.auth();
    switch (style) {
      case "x-api-key" -> call.header("x-api-key", apiKey);
      case "api-key" -> call.header("api-key", apiKey);
      default -> call.header("authorization", "Bearer " + apiKey);
    }
    return call;
  }

  static List<String> idsOf(JsonNode array, String field) {
    List<String> ids = new ArrayList<>();
    for (JsonNode m : array) if (m.hasNonNull(field)) ids.add(m.get(field).asText());
    return ids;
  }
}
