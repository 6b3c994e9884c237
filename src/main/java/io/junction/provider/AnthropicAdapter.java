package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** api.anthropic.com: Messages, count_tokens and model list, authenticated with {@code x-api-key}. */
public final class AnthropicAdapter implements ProviderAdapter {
  public static final String API_VERSION = "2023-06-01";

  private final AnthropicCodec codec = AnthropicCodec.INSTANCE;

  @Override
  public String type() { return "anthropic"; }

  @Override
  public Protocol protocol() { return Protocol.ANTHROPIC; }

  @Override
  public UpstreamCodec codec() { return codec; }

  /** The codec with its Anthropic-only extras (count_tokens bodies). */
  public AnthropicCodec anthropicCodec() { return codec; }

  @Override
  public String defaultBaseUrl() { return "https://api.anthropic.com"; }

  @Override
  public UpstreamCall chat(ProviderConfig provider, String apiKey, String model, boolean stream, Buffer body) {
    UpstreamCall call = authorize(UpstreamCall.post(baseUrl(provider) + "/v1/messages", body), provider, apiKey);
    return stream ? call.header("accept", "text/event-stream") : call;
  }

  @Override
  public UpstreamCall countTokens(ProviderConfig provider, String apiKey, String model, Buffer body) {
    return authorize(UpstreamCall.post(baseUrl(provider) + "/v1/messages/count_tokens", body), provider, apiKey);
  }

  /** The list is paginated (default 20); one page of the maximum size covers every model. */
  @Override
  public UpstreamCall listModels(ProviderConfig provider, String apiKey) {
    return authorize(UpstreamCall.get(baseUrl(provider) + "/v1/models?limit=1000"), provider, apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    JsonNode data = Json.parseUpstream(body).get("data");
    if (data == null || !data.isArray()) throw GatewayException.badGateway("Anthropic model list has no 'data' array");
    List<String> ids = new ArrayList<>();
    for (JsonNode m : data) if (m.path("id").isTextual()) ids.add(m.get("id").asText());
    return ids;
  }

  private static UpstreamCall authorize(UpstreamCall call, ProviderConfig provider, String apiKey) {
    // Keyless only behind a proxy that adds its own auth.
    if (apiKey != null) call.header("x-api-key", apiKey);
    return call.header("anthropic-version", API_VERSION);
  }
}
