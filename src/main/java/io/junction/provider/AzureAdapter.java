package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.ModelNames;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.protocol.responses.ResponsesCodec;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Azure OpenAI: the OpenAI wire format on deployment URLs
 * ({@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…}) with an
 * {@code api-key} header. The model name sent by routing is the deployment name.
 */
public final class AzureAdapter implements ProviderAdapter {
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  @Override public String type() { return "azure"; }

  @Override public Protocol protocol() { return Protocol.OPENAI; }

  @Override public UpstreamCodec codec() { return OpenAiCodec.INSTANCE; }

  @Override public String defaultBaseUrl() { return "https://example.openai.azure.com"; }

  @Override
  public boolean serves(Protocol p, ProviderConfig c) {
    return p == Protocol.OPENAI || (p == Protocol.RESPONSES && OpenAiAdapter.responsesApi(c, true));
  }

  @Override public UpstreamCodec codec(Protocol p) { return p == Protocol.RESPONSES ? ResponsesCodec.INSTANCE : codec(); }

  /**
   * Azure serves the Responses API at {@code {endpoint}/openai/v1/responses} (its v1 API, no
   * deployment in the path: the body's model names the deployment).
   */
  @Override
  public UpstreamCall call(Protocol p, ProviderConfig c, String apiKey, String model, boolean stream, Buffer body) {
    if (p != Protocol.RESPONSES) return chat(c, apiKey, model, stream, body);
    return UpstreamCall.post(baseUrl(c) + "/openai/v1/responses", body).header("api-key", apiKey);
  }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    return UpstreamCall.post(deployment(p, model) + "/chat/completions?api-version=" + apiVersion(p), body).header("api-key", apiKey);
  }

  @Override
  public UpstreamCall embeddings(ProviderConfig p, String apiKey, Buffer body) {
    String model = Json.parseUpstream(body).path("model").asText();
    return UpstreamCall.post(deployment(p, model) + "/embeddings?api-version=" + apiVersion(p), body).header("api-key", apiKey);
  }

  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) {
    return UpstreamCall.get(baseUrl(p) + "/openai/models?api-version=" + apiVersion(p)).header("api-key", apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    return OpenAiAdapter.idsOf(Json.parseUpstream(body).path("data"), "id");
  }

  private String deployment(ProviderConfig p, String model) {
    return baseUrl(p) + "/openai/deployments/" + ModelNames.pathSegment(model);
  }

  private static String apiVersion(ProviderConfig p) {
    String v = p.option("api_version");
    return v == null || v.isBlank() ? DEFAULT_API_VERSION : v;
  }
}
