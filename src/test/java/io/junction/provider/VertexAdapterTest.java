package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MutableClock;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vertex AI end to end on loopback: a mock Google token endpoint that verifies the service
 * account's RS256 JWT with the account's public key (a key pair made here) and mock Vertex routes
 * that accept only the token it issued, for Gemini (generateContent) and Claude (rawPredict /
 * streamRawPredict, model in the URL, anthropic_version in the body).
 */
class VertexAdapterTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Vertx vertx;
  private HttpServer server;
  private TestGateway gateway;
  private KeyPair keys;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final List<String> badAssertions = new CopyOnWriteArrayList<>();
  private final List<String> vertexPaths = new CopyOnWriteArrayList<>();
  private final List<JsonNode> claudeBodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    keys = gen.generateKeyPair();
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> handle(req, b.toString())));
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private String origin() { return "http://127.0.0.1:" + server.actualPort(); }

  private String serviceAccount(String project) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    return Json.text(Json.object().put("type", "service_account").put("project_id", project)
        .put("private_key_id", "kid-1").put("private_key", pem)
        .put("client_email", "junction@" + project + ".iam.gserviceaccount.com")
        .put("token_uri", origin() + "/token"));
  }

  private static ProviderConfig vertex(String name, String baseUrl, String key, Map<String, String> options) {
    return new ProviderConfig(name, "vertex", null, baseUrl, List.of(key), DispatchMode.POOLED, 1, List.of(),
        30_000, 5_000, 30_000, 30_000, 0, Map.of(), true, options);
  }

  @Test
  void geminiAndClaudeOnVertexWithOneSharedTokenFromASignedJwt() throws Exception {
    String sa = serviceAccount("sa-project");
    gateway = TestGateway.withProviders(
        vertex("vg", origin(), sa, Map.of("project", "proj-1", "location", "us-central1")),
        vertex("vc", origin(), sa, Map.of("publisher", "anthropic", "location", "global")));

    // Ten concurrent Gemini calls: one token exchange serves them all.
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(HTTP.sendAsync(post("/v1/chat/completions", """
          {"model":"vg/gemini-2.5-flash","messages":[{"role":"user","content":"hi"}]}"""), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.join();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(Json.parse(r.body()).path("choices").get(0).path("message").path("content").asText())
          .isEqualTo("Hello from Vertex Gemini");
    }
    assertThat(badAssertions).isEmpty();
    assertThat(tokensIssued.get()).isEqualTo(1);
    assertThat(vertexPaths).first()
        .isEqualTo("/v1/projects/proj-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");

    // Claude, streamed to an Anthropic client: project from the key, model in the URL, none in the body.
    HttpResponse<String> claude = HTTP.send(post("/v1/messages", """
        {"model":"vc/claude-sonnet-4-5@20250929","max_tokens":100,"stream":true,
         "messages":[{"role":"user","content":"hi"}]}"""), HttpResponse.BodyHandlers.ofString());
    assertThat(claude.statusCode()).as(claude.body()).isEqualTo(200);
    assertThat(claude.body()).contains("Hello from Vertex Claude").contains("event: message_stop");
    assertThat(vertexPaths).last()
        .isEqualTo("/v1/projects/sa-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
    JsonNode body = claudeBodies.get(claudeBodies.size() - 1);
    assertThat(body.has("model")).isFalse();
    assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(body.path("stream").asBoolean()).isTrue();

    // Non-streamed Claude to an OpenAI client goes through rawPredict.
    HttpResponse<String> plain = HTTP.send(post("/v1/chat/completions", """
        {"model":"vc/claude-sonnet-4-5@20250929","messages":[{"role":"user","content":"hi"}]}"""),
        HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(plain.body()).contains("Hello from Vertex Claude");
    assertThat(vertexPaths.get(vertexPaths.size() - 1)).endsWith("/models/claude-sonnet-4-5@20250929:rawPredict");
    assertThat(tokensIssued.get()).as("the same key shares its token across providers").isEqualTo(1);
  }

  @Test
  void aBadSignatureGetsNoTokenAndTheCallFails() throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    KeyPair mine = keys;
    keys = other; // the JSON carries a key the token endpoint does not know
    String sa = serviceAccount("p");
    keys = mine;
    gateway = TestGateway.withProviders(vertex("vg", origin(), sa, Map.of("project", "p")));
    HttpResponse<String> r = HTTP.send(post("/v1/chat/completions", """
        {"model":"vg/gemini-2.5-flash","messages":[{"role":"user","content":"hi"}]}"""), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(badAssertions).isNotEmpty();
    assertThat(vertexPaths).isEmpty();
  }

  @Test
  void theTokenIsRefreshedFiveMinutesBeforeItExpires() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    GoogleCredentials credentials = new GoogleCredentials(serviceAccount("p"), clock);
    String first = credentials.accessToken().toCompletionStage().toCompletableFuture().join();
    assertThat(tokensIssued.get()).isEqualTo(1);
    clock.advanceMillis(3600_000 - 300_000 - 1_000); // 5 min 1 s left: still good
    assertThat(credentials.accessToken().toCompletionStage().toCompletableFuture().join()).isEqualTo(first);
    assertThat(tokensIssued.get()).isEqualTo(1);
    clock.advanceMillis(2_000); // under 5 min left: refreshed
    String second = credentials.accessToken().toCompletionStage().toCompletableFuture().join();
    assertThat(tokensIssued.get()).isEqualTo(2);
    assertThat(second).isNotEqualTo(first);
    assertThat(badAssertions).isEmpty();
  }

  @Test
  void theGlobalLocationUsesTheGlobalHostAndOthersTheirRegionalOne() {
    ProviderConfig global = vertex("v", null, "k", Map.of("project", "p"));
    ProviderConfig regional = vertex("v", null, "k", Map.of("project", "p", "location", "europe-west4"));
    assertThat(VertexAdapter.GEMINI.modelUrl(global, "gemini-2.5-pro"))
        .isEqualTo("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro");
    assertThat(VertexAdapter.ANTHROPIC.modelUrl(regional, "claude-opus-4-1@20250805")).isEqualTo(
        "https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/anthropic/models/claude-opus-4-1@20250805");
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  // ---- the mock Google endpoints ----

  private void handle(HttpServerRequest req, String body) {
    if (req.path().equals("/token")) {
      token(req, body);
      return;
    }
    String auth = req.getHeader("authorization");
    if (auth == null || !auth.matches("Bearer ya29\\.mock-\\d+")) {
      req.response().setStatusCode(401).putHeader("content-type", "application/json")
          .end("{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
      return;
    }
    vertexPaths.add(req.path());
    if (req.path().endsWith(":generateContent")) {
      req.response().putHeader("content-type", "application/json").end("""
          {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello from Vertex Gemini"}]},"finishReason":"STOP","index":0}],
           "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":4,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash"}""");
    } else if (req.path().endsWith(":rawPredict") || req.path().endsWith(":streamRawPredict")) {
      try {
        claudeBodies.add(Json.parse(body));
      } catch (Exception e) {
        req.response().setStatusCode(400).end();
        return;
      }
      if (req.path().endsWith(":rawPredict")) {
        req.response().putHeader("content-type", "application/json").end("""
            {"id":"msg_vrtx_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hello from Vertex Claude"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":10,"output_tokens":5}}""");
      } else {
        req.response().putHeader("content-type", "text/event-stream").end(String.join("\n\n",
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_vrtx_2\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"Hello from Vertex Claude\"}}",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":5}}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}") + "\n\n");
      }
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  /** Google's token endpoint: a jwt-bearer grant whose assertion must verify with the account's public key. */
  private void token(HttpServerRequest req, String form) {
    Map<String, String> params = new java.util.HashMap<>();
    for (String pair : form.split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    String problem = checkAssertion(params, keys.getPublic(), origin() + "/token");
    if (problem != null) {
      badAssertions.add(problem);
      req.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
      return;
    }
    req.response().putHeader("content-type", "application/json")
        .end("{\"access_token\":\"ya29.mock-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  }

  private static String checkAssertion(Map<String, String> params, PublicKey key, String audience) {
    if (!GoogleCredentials.GRANT_TYPE.equals(params.get("grant_type"))) return "grant_type " + params.get("grant_type");
    String[] parts = params.getOrDefault("assertion", "").split("\\.");
    if (parts.length != 3) return "not a JWT";
    try {
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initVerify(key);
      sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) return "bad signature";
      JsonNode header = Json.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      if (!header.path("alg").asText().equals("RS256") || !header.path("kid").asText().equals("kid-1")) return "header " + header;
      if (!claims.path("aud").asText().equals(audience)) return "aud " + claims.path("aud");
      if (!claims.path("scope").asText().equals("https://www.googleapis.com/auth/cloud-platform")) return "scope";
      if (!claims.path("iss").asText().endsWith(".iam.gserviceaccount.com")) return "iss";
      if (claims.path("exp").asLong() - claims.path("iat").asLong() != 3600) return "lifetime";
      return null;
    } catch (Exception e) {
      return e.toString();
    }
  }
}
