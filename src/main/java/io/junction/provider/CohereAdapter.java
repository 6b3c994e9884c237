package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.cohere.CohereCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Cohere's native API: chat on {@code /v2/chat}, discovery on {@code /v1/models}, bearer auth. */
public final class CohereAdapter implements ProviderAdapter {

  private final CohereCodec codec = new CohereCodec();

  @Override
  public String type() { return "cohere"; }

  @Override
  public Protocol protocol() { return Protocol.COHERE; }

  @Override
  public UpstreamCodec codec() { return codec; }

  @Override
  public String defaultBaseUrl() { return "https://api.cohere.com"; }

  @Override
  public UpstreamCall chat(ProviderConfig provider, String apiKey, String model, boolean stream, Buffer body) {
    UpstreamCall call = UpstreamCall.post(baseUrl(provider) + "/v2/chat", body).header("authorization", "Bearer " + apiKey);
    if (stream) call.header("accept", "text/event-stream");
    return call;
  }

  @Override
  public UpstreamCall listModels(ProviderConfig provider, String apiKey) {
    // Only chat-capable models, in one page (the default page is 20).
    return UpstreamCall.get(baseUrl(provider) + "/v1/models?endpoint=chat&page_size=1000")
        .header("authorization", "Bearer " + apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    JsonNode models = Json.parseUpstream(body).path("models");
    if (!models.isArray()) throw GatewayException.badGateway("Cohere model list has no 'models' array");
    List<String> names = new ArrayList<>();
    for (JsonNode m : models) if (m.path("name").isTextual()) names.add(m.get("name").asText());
    return names;
  }
}
