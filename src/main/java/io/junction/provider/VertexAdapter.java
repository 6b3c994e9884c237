package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Cloud Vertex AI ({@code type: vertex}). One provider serves one publisher's models
 * (option {@code publisher}): {@code google} (default) — Gemini through {@code generateContent} /
 * {@code streamGenerateContent}, Gemini's own wire format — or {@code anthropic} — Claude through
 * {@code rawPredict} / {@code streamRawPredict}, Anthropic's Messages format with the model in the
 * URL, none in the body, and {@code anthropic_version: vertex-2023-10-16}. URLs are
 * {@code /v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:method}
 * on {@code {location}-aiplatform.googleapis.com}, or {@code aiplatform.googleapis.com} for the
 * {@code global} location (the default). Auth is a service account's OAuth token
 * ({@link GoogleCredentials}): each api_keys entry is the key's JSON or a path to it; none means
 * {@code GOOGLE_APPLICATION_CREDENTIALS}. {@code project} defaults to the key's project.
 */
public final class VertexAdapter implements ProviderAdapter {
  public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
  static final String PROJECT_PLACEHOLDER = "{project}";

  private final boolean anthropic;

  private VertexAdapter(boolean anthropic) { this.anthropic = anthropic; }

  static final VertexAdapter GEMINI = new VertexAdapter(false);
  static final VertexAdapter ANTHROPIC = new VertexAdapter(true);

  /** The adapter for a provider's {@code publisher} option. */
  static VertexAdapter forPublisher(String publisher) {
    if (publisher == null || publisher.equals("google")) return GEMINI;
    if (publisher.equals("anthropic")) return ANTHROPIC;
    throw new IllegalArgumentException("vertex publisher must be google or anthropic, got '" + publisher + "'");
  }

  @Override public String type() { return "vertex"; }

  @Override public Protocol protocol() { return anthropic ? Protocol.ANTHROPIC : Protocol.GEMINI; }

  @Override public UpstreamCodec codec() { return anthropic ? AnthropicCodec.INSTANCE : GeminiCodec.INSTANCE; }

  /** The global endpoint; a regional location replaces it (see {@link #baseUrl}). */
  @Override public String defaultBaseUrl() { return "https://aiplatform.googleapis.com"; }

  @Override
  public String baseUrl(ProviderConfig p) {
    if (p.baseUrl() != null && !p.baseUrl().isBlank()) return ProviderAdapter.super.baseUrl(p);
    String location = location(p);
    return location.equals("global") ? defaultBaseUrl() : "https://" + location + "-aiplatform.googleapis.com";
  }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    String method = anthropic
        ? (stream ? ":streamRawPredict" : ":rawPredict")
        : (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    UpstreamCall call = UpstreamCall.post(modelUrl(p, model) + method, anthropic ? anthropicBody(body) : body);
    if (anthropic && stream) call.header("accept", "text/event-stream");
    return authorized(call, p, apiKey);
  }

  @Override
  public UpstreamCall countTokens(ProviderConfig p, String apiKey, String model, Buffer body) {
    // Gemini's countTokens is free; Claude's count-tokens on Vertex is a separate, beta endpoint.
    if (anthropic) return null;
    return authorized(UpstreamCall.post(modelUrl(p, model) + ":countTokens", body), p, apiKey);
  }

  /** The publisher's model garden list (never billed). */
  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) {
    return authorized(UpstreamCall.get(baseUrl(p) + "/v1beta1/publishers/" + publisher() + "/models?pageSize=1000"), p, apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    List<String> ids = new ArrayList<>();
    for (JsonNode m : Json.parseUpstream(body).path("publisherModels")) {
      String name = m.path("name").asText("");
      if (!name.isEmpty()) ids.add(name.substring(name.lastIndexOf('/') + 1));
    }
    return ids;
  }

  String modelUrl(ProviderConfig p, String model) {
    String project = p.option("project");
    return baseUrl(p) + "/v1/projects/" + (project == null ? PROJECT_PLACEHOLDER : project) + "/locations/" + location(p)
        + "/publishers/" + publisher() + "/models/" + model;
  }

  private String publisher() { return anthropic ? "anthropic" : "google"; }

  private static String location(ProviderConfig p) {
    String l = p.option("location");
    return l == null || l.isBlank() ? "global" : l;
  }

  /** Vertex's Claude body: the Messages body with the model taken out and Vertex's anthropic_version in. */
  static Buffer anthropicBody(Buffer body) {
    JsonNode parsed = Json.parseUpstream(body);
    if (!(parsed instanceof ObjectNode root)) throw GatewayException.badGateway("Claude request body is not a JSON object");
    root.remove("model");
    root.put("anthropic_version", ANTHROPIC_VERSION);
    return Json.buffer(root);
  }

  /** Adds the access token (and the key's project where the config names none) just before sending. */
  private static UpstreamCall authorized(UpstreamCall call, ProviderConfig p, String apiKey) {
    GoogleCredentials credentials = GoogleCredentials.of(apiKey);
    return call.withLateAuth(c -> {
      Future<String> project = c.url().contains(PROJECT_PLACEHOLDER) ? credentials.projectId() : Future.succeededFuture(null);
      return project.compose(id -> {
        if (c.url().contains(PROJECT_PLACEHOLDER) && id == null) {
          return Future.failedFuture("vertex provider " + p.name() + ": no project option and the key names no project_id");
        }
        return credentials.accessToken().map(token -> {
          UpstreamCall ready = id == null ? c : c.withUrl(c.url().replace(PROJECT_PLACEHOLDER, id));
          return ready.header("authorization", "Bearer " + token);
        });
      });
    });
  }
}
