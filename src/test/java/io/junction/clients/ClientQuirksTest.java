package io.junction.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What real clients send and expect (CONTRACT §8), over HTTP through a real gateway to a mock
 * OpenAI upstream: Claude Code's captured request for {@code gpt-4o}, Anthropic's wording of an
 * invalid request, message_start usage from an upstream that counts input at the end, the
 * Anthropic-shaped model list, and the root.
 */
class ClientQuirksTest {
  static Vertx vertx;
  static MockOpenAiServer openai;
  static MockAnthropicServer anthropic;
  static TestGateway gateway;
  static final HttpClient http = HttpClient.newHttpClient();
  /** Hop-by-hop and length headers the JDK client sets itself. */
  static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "accept-encoding");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    anthropic = new MockAnthropicServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")),
        ProviderConfig.simple("anthropic", "anthropic", anthropic.baseUrl(), List.of(MockAnthropicServer.KEY), List.of("claude-sonnet-4-5")));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
    anthropic.close();
    vertx.close();
  }

  static String resource(String name) throws Exception {
    try (InputStream in = ClientQuirksTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static HttpResponse<String> postMessages(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> anthropicHeaders() {
    return Map.of("x-api-key", TestGateway.MASTER_KEY, "anthropic-version", "2023-06-01", "content-type", "application/json");
  }

  /** Each SSE event's data, parsed, in order. */
  static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("data: ")) out.add(Json.parse(line.substring(6)));
    return out;
  }

  @Test
  void claudeCodesRequestForGpt4oReachesOpenAiWithItsMidConversationSystemMessage() throws Exception {
    String body = resource("claude-code-2.1.197-gpt-4o-request.json");
    Map<String, String> headers = capturedHeaders();
    int before = openai.received.size();

    HttpResponse<String> r = postMessages(body, headers);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> events = events(r.body());
    assertThat(events.get(0).path("type").asText()).isEqualTo("message_start");
    assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("message_stop");
    assertThat(openai.received).hasSize(before + 1);
    JsonNode upstream = openai.last().body();
    List<String> roles = new ArrayList<>();
    upstream.path("messages").forEach(m -> roles.add(m.path("role").asText()));
    // The top-level system prompt and the in-conversation one both arrive as system text; the
    // conversation itself holds only the user's turn.
    assertThat(roles).containsExactly("system", "user");
    String system = upstream.path("messages").get(0).path("content").toString();
    assertThat(system).contains("You are a Claude agent").contains("Available agent types for the Agent tool");
    assertThat(system.indexOf("You are a Claude agent")).isLessThan(system.indexOf("Available agent types"));
    assertThat(upstream.path("messages").get(1).toString()).contains("say hi");
  }

  @Test
  void claudeCodesRequestForAClaudeModelReachesAnthropicWithItsSystemTurnAndBetas() throws Exception {
    String body = resource("claude-code-2.1.197-gpt-4o-request.json").replace("{\"model\":\"gpt-4o\",", "{\"model\":\"claude-sonnet-4-5\",");
    Map<String, String> headers = capturedHeaders();
    anthropic.enqueue(MockAnthropicServer.Reply.text("hi"));

    HttpResponse<String> r = postMessages(body, headers);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    MockAnthropicServer.Recorded upstream = anthropic.lastRequest();
    // Relayed as sent: the system turn stays in place, the betas and version go along.
    assertThat(upstream.body()).isEqualTo(Json.parse(body));
    assertThat(upstream.headers().get("anthropic-beta")).isEqualTo(headers.get("anthropic-beta"));
    assertThat(upstream.headers().get("anthropic-version")).isEqualTo("2023-06-01");
  }

  static Map<String, String> capturedHeaders() throws Exception {
    JsonNode captured = Json.parse(resource("claude-code-2.1.197-gpt-4o-request.headers.json"));
    java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();
    captured.fields().forEachRemaining(f -> {
      if (!RESTRICTED.contains(f.getKey())) headers.put(f.getKey(), f.getValue().asText());
    });
    headers.put("x-api-key", TestGateway.MASTER_KEY);
    return headers;
  }

  @Test
  void anInvalidRoleIsAnsweredInAnthropicsOwnWording() throws Exception {
    HttpResponse<String> r = postMessages("""
        {"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"wizard","content":"boo"}]}""",
        anthropicHeaders());

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = Json.parse(r.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    // Claude Code matches "Input should be 'user' or 'assistant'" to fall back to a request without system messages.
    assertThat(body.path("error").path("message").asText()).isEqualTo("messages.1.role: Input should be 'user' or 'assistant'");
  }

  @Test
  void theRequestHeadsChecksAreWordedAsAnthropicWordsThemToo() throws Exception {
    // These fail before any decoding (the request head), on the lenient same-protocol path too.
    Map<String, String> cases = Map.of(
        "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model: Field required",
        "{\"model\":7,\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model: Input should be a valid string",
        "{\"model\":\"gpt-4o\",\"stream\":\"yes\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "stream: Input should be a valid boolean");
    for (var c : cases.entrySet()) {
      HttpResponse<String> r = postMessages(c.getKey(), anthropicHeaders());
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(Json.parse(r.body()).path("error").path("message").asText()).as(c.getKey()).isEqualTo(c.getValue());
    }
  }

  @Test
  void messageStartEstimatesInputWhenTheUpstreamCountsItOnlyAtTheEnd() throws Exception {
    String words = "alpha beta gamma delta ".repeat(50);
    HttpResponse<String> r = postMessages("""
        {"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"%s"}]}""".formatted(words),
        anthropicHeaders());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> events = events(r.body());
    JsonNode start = events.get(0);
    assertThat(start.path("type").asText()).isEqualTo("message_start");
    // ~200 words of prompt: an estimate of that order, not 0.
    assertThat(start.path("message").path("usage").path("input_tokens").asLong()).isBetween(150L, 400L);
    JsonNode delta = events.stream().filter(e -> e.path("type").asText().equals("message_delta")).findFirst().orElseThrow();
    // The real count (the mock's 12 prompt tokens, 2 of them cached) in message_delta.
    assertThat(delta.path("usage").path("input_tokens").asLong()).isEqualTo(10);
  }

  @Test
  void modelsAreListedInAnthropicsShapeWhenTheRequestCarriesAnthropicVersion() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/models"))
        .header("x-api-key", TestGateway.MASTER_KEY).header("anthropic-version", "2023-06-01").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode page = Json.parse(r.body());
    assertThat(page.path("has_more").isBoolean()).isTrue();
    assertThat(page.path("first_id").asText()).isEqualTo("gpt-4o");
    assertThat(page.path("last_id").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(page.path("data")).hasSize(2);
    JsonNode model = page.path("data").get(0);
    assertThat(model.path("type").asText()).isEqualTo("model");
    assertThat(model.path("id").asText()).isEqualTo("gpt-4o");
    assertThat(model.path("display_name").asText()).isNotEmpty();
    assertThat(java.time.Instant.parse(model.path("created_at").asText())).isNotNull();
    assertThat(page.has("object")).isFalse();

    HttpResponse<String> openAiShape = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/models"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(Json.parse(openAiShape.body()).path("object").asText()).isEqualTo("list");

    HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/models"))
        .header("anthropic-version", "2023-06-01").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(Json.parse(noKey.body()).path("type").asText()).isEqualTo("error");
  }

  @Test
  void theRootAnswers200ToGetAndHead() throws Exception {
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(Json.parse(get.body()).path("status").asText()).isEqualTo("ok");

    HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
