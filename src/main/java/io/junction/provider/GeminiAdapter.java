package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.ModelNames;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Google AI Studio (generativelanguage.googleapis.com): generateContent with an x-goog-api-key. */
public final class GeminiAdapter implements ProviderAdapter {
  private static final GeminiCodec CODEC = new GeminiCodec();

  @Override
  public String type() { return "gemini"; }

  @Override
  public Protocol protocol() { return Protocol.GEMINI; }

  @Override
  public UpstreamCodec codec() { return CODEC; }

  @Override
  public String defaultBaseUrl() { return "https://generativelanguage.googleapis.com"; }

  /** Streams always ask for {@code ?alt=sse}, the framing {@link GeminiCodec#streamDecoder()} reads. */
  @Override
  public UpstreamCall chat(ProviderConfig provider, String apiKey, String model, boolean stream, Buffer body) {
    String method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
    return authorized(UpstreamCall.post(apiBase(provider) + "/" + modelPath(model) + method, body), provider, apiKey);
  }

  /**
   * Gemini answers a bad API key with 400 INVALID_ARGUMENT carrying a google.rpc.ErrorInfo whose
   * reason is API_KEY_INVALID: a 401 for the key pool. Only that structured reason counts — the
   * message text of a 400 may quote the client's own request.
   */
  @Override
  public int effectiveStatus(int status, Buffer body) {
    if (status == 400 && body != null && body.length() > 0) {
      try {
        for (JsonNode d : Json.parse(body).path("error").path("details")) {
          if ("type.googleapis.com/google.rpc.ErrorInfo".equals(d.path("@type").asText())
              && "API_KEY_INVALID".equals(d.path("reason").asText())) {
            return 401;
          }
        }
      } catch (java.io.IOException | RuntimeException notJson) {
        // not Gemini's error shape: the status stands
      }
    }
    return status;
  }

  /** {@code :countTokens} for a {@code {"generateContentRequest":…}} body (free, never billed). */
  @Override
  public UpstreamCall countTokens(ProviderConfig provider, String apiKey, String model, Buffer body) {
    return authorized(UpstreamCall.post(apiBase(provider) + "/" + modelPath(model) + ":countTokens", body), provider, apiKey);
  }

  /** One page of up to 1000 models, the API's maximum, covers every public model. */
  @Override
  public UpstreamCall listModels(ProviderConfig provider, String apiKey) {
    return authorized(UpstreamCall.get(apiBase(provider) + "/models?pageSize=1000"), provider, apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    JsonNode root = Json.parseUpstream(body);
    List<String> ids = new ArrayList<>();
    for (JsonNode model : root.path("models")) {
      String name = model.path("name").asText("");
      if (!name.isEmpty()) ids.add(name.startsWith("models/") ? name.substring("models/".length()) : name);
    }
    return ids;
  }

  /** The versioned API root; a base URL that already names a version (…/v1beta) is used as is. */
  private String apiBase(ProviderConfig provider) {
    String base = baseUrl(provider);
    return base.matches(".*/v1(alpha|beta)?$") ? base : base + "/v1beta";
  }

  /**
   * {@code gemini-2.5-flash} lives under models/; tuned models come fully named ({@code tunedModels/x}).
   * The id is always one encoded path segment, so a name can't climb out of its path or add a query.
   */
  static String modelPath(String model) {
    for (String collection : new String[] {"models/", "tunedModels/"}) {
      if (model.startsWith(collection) && model.length() > collection.length()) {
        return collection + ModelNames.pathSegment(model.substring(collection.length()));
      }
    }
    return "models/" + ModelNames.pathSegment(model);
  }

  private static UpstreamCall authorized(UpstreamCall call, ProviderConfig provider, String apiKey) {
    return call.header("x-goog-api-key", apiKey);
  }
}
