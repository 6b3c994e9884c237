package io.junction.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.protocol.responses.ResponsesEvents;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockResponsesServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Responses API's state through a running gateway (CONTRACT §7): conversations continued with
 * previous_response_id across provider types, stored responses and their input items, deletion,
 * per-key visibility, store:false, Codex's own request relayed and translated, and the 426 that
 * sends Codex's WebSocket attempt back to HTTP.
 */
class ResponsesStateTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Vertx vertx;
  static MockAnthropicServer anthropic;
  static MockOpenAiServer chat;
  static MockResponsesServer openai;
  static TestGateway gateway;
  static String jdbcUrl;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    anthropic = new MockAnthropicServer(vertx);
    chat = new MockOpenAiServer(vertx);
    openai = new MockResponsesServer(vertx);
    ProviderConfig chatOnly = ProviderConfig.simple("chat", "openai", chat.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"));
    chatOnly = new ProviderConfig(chatOnly.name(), chatOnly.type(), null, chatOnly.baseUrl(), chatOnly.apiKeys(), chatOnly.dispatch(),
        1, chatOnly.models(), chatOnly.timeoutMs(), chatOnly.connectTimeoutMs(), chatOnly.firstByteTimeoutMs(), chatOnly.idleTimeoutMs(),
        0, Map.of(), true, Map.of("responses_api", "false"));
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("anth", "anthropic", anthropic.baseUrl(), List.of(MockAnthropicServer.KEY), List.of("claude-sonnet-4-5")),
        chatOnly,
        ProviderConfig.simple("oai", "openai", openai.baseUrl() + "/v1", List.of(MockResponsesServer.KEY), List.of("gpt-5")));
    jdbcUrl = gateway.junction.gateway().config().storageUrl();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    chat.close();
    openai.close();
    MockUpstreamBase.await(vertx.close());
  }

  static HttpResponse<String> send(String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("content-type", "application/json");
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode json(String s) {
    try {
      return Json.parse(s);
    } catch (java.io.IOException e) {
      throw new AssertionError(s, e);
    }
  }

  static JsonNode create(String key, ObjectNode body) {
    HttpResponse<String> r = send("POST", "/v1/responses", key, Json.text(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return body.path("stream").asBoolean() ? ResponsesEvents.checkComplete(r.body()) : json(r.body());
  }

  static ObjectNode ask(String model, String text) { return Json.object().put("model", model).put("input", text); }

  static String text(JsonNode response) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode item : response.path("output")) for (JsonNode c : item.path("content")) sb.append(c.path("text").asText());
    return sb.toString();
  }

  @Test
  void conversationContinuesAcrossProviderTypes() {
    anthropic.enqueue(MockAnthropicServer.Reply.text("Sunny in Paris.").usage(20, 5));
    JsonNode first = create(TestGateway.MASTER_KEY, ask("claude-sonnet-4-5", "Weather in Paris?"));
    assertThat(text(first)).isEqualTo("Sunny in Paris.");

    chat.enqueue(MockOpenAiServer.Reply.text("Rain tomorrow."));
    JsonNode second = create(TestGateway.MASTER_KEY, ask("gpt-4o", "And tomorrow?").put("previous_response_id", first.path("id").asText()));
    assertThat(text(second)).isEqualTo("Rain tomorrow.");
    assertThat(second.path("previous_response_id").asText()).isEqualTo(first.path("id").asText());
    // The chat upstream got the whole conversation: the earlier turn's question and answer, then the new question.
    JsonNode sent = chat.received.get(chat.received.size() - 1).body();
    assertThat(sent.path("messages")).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText())
        .containsExactly("user:Weather in Paris?", "assistant:Sunny in Paris.", "user:And tomorrow?");

    // Third turn, streamed, to a provider that serves the Responses API itself: relayed with the turns spliced in.
    ChatAnswer.script(openai, "Take an umbrella.");
    JsonNode third = create(TestGateway.MASTER_KEY, ask("gpt-5", "What should I bring?").put("stream", true)
        .put("previous_response_id", second.path("id").asText()));
    assertThat(text(third)).isEqualTo("Take an umbrella.");
    JsonNode relayed = openai.last().json();
    assertThat(relayed.has("previous_response_id")).as("the upstream gets the turns, not an id it does not know").isFalse();
    List<String> turns = new ArrayList<>();
    for (JsonNode item : relayed.path("input")) {
      JsonNode c = item.path("content");
      turns.add(item.path("role").asText() + ":" + (c.isTextual() ? c.asText() : c.path(0).path("text").asText()));
    }
    assertThat(turns).containsExactly("user:Weather in Paris?", "assistant:Sunny in Paris.", "user:And tomorrow?",
        "assistant:Rain tomorrow.", "user:What should I bring?");

    // Each stored response reads back as the client got it; its input items are the whole conversation before it.
    HttpResponse<String> got = send("GET", "/v1/responses/" + third.path("id").asText(), TestGateway.MASTER_KEY, null);
    assertThat(got.statusCode()).isEqualTo(200);
    JsonNode stored = json(got.body());
    assertThat(stored.path("output")).isEqualTo(third.path("output"));
    assertThat(stored.path("usage")).isEqualTo(third.path("usage"));
    JsonNode items = json(send("GET", "/v1/responses/" + third.path("id").asText() + "/input_items?order=asc&limit=2",
        TestGateway.MASTER_KEY, null).body());
    assertThat(items.path("object").asText()).isEqualTo("list");
    assertThat(items.path("data")).hasSize(2);
    assertThat(items.path("has_more").asBoolean()).isTrue();
    assertThat(items.path("data").get(0).path("id").asText()).isNotBlank();
    JsonNode rest = json(send("GET", "/v1/responses/" + third.path("id").asText() + "/input_items?order=asc&after="
        + items.path("last_id").asText(), TestGateway.MASTER_KEY, null).body());
    assertThat(rest.path("data")).hasSize(3);
    assertThat(rest.path("has_more").asBoolean()).isFalse();
    JsonNode newest = json(send("GET", "/v1/responses/" + third.path("id").asText() + "/input_items", TestGateway.MASTER_KEY, null).body());
    assertThat(newest.path("data").get(0).path("content").path(0).path("text").asText()).isEqualTo("What should I bring?");
  }

  @Test
  void translatedStreamsAreStoredToo() {
    chat.enqueue(MockOpenAiServer.Reply.text("Streamed."));
    JsonNode r = create(TestGateway.MASTER_KEY, ask("gpt-4o", "Hello").put("stream", true));
    assertThat(text(r)).isEqualTo("Streamed.");
    HttpResponse<String> got = send("GET", "/v1/responses/" + r.path("id").asText(), TestGateway.MASTER_KEY, null);
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    assertThat(json(got.body()).path("output")).isEqualTo(r.path("output"));
  }

  @Test
  void deletedOrUnknownResponsesAreGone() {
    chat.enqueue(MockOpenAiServer.Reply.text("Hi."));
    String id = create(TestGateway.MASTER_KEY, ask("gpt-4o", "Hello")).path("id").asText();
    HttpResponse<String> deleted = send("DELETE", "/v1/responses/" + id, TestGateway.MASTER_KEY, null);
    assertThat(json(deleted.body())).isEqualTo(json("{\"id\":\"" + id + "\",\"object\":\"response\",\"deleted\":true}"));
    assertThat(send("GET", "/v1/responses/" + id, TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/v1/responses/" + id, TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
    int before = chat.received.size();
    HttpResponse<String> cont = send("POST", "/v1/responses", TestGateway.MASTER_KEY,
        Json.text(ask("gpt-4o", "again").put("previous_response_id", id)));
    assertThat(cont.statusCode()).isEqualTo(400);
    JsonNode error = json(cont.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("previous_response_not_found");
    assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(chat.received.size()).as("nothing went upstream").isEqualTo(before);
  }

  @Test
  void storeFalseKeepsNothing() throws Exception {
    chat.enqueue(MockOpenAiServer.Reply.text("Hi."));
    long rows = rows();
    JsonNode r = create(TestGateway.MASTER_KEY, ask("gpt-4o", "Hello").put("store", false));
    assertThat(r.path("store").asBoolean(true)).isFalse();
    assertThat(rows()).isEqualTo(rows);
    assertThat(send("GET", "/v1/responses/" + r.path("id").asText(), TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aStoredResponseIsVisibleOnlyToItsKeyAndTheMaster() {
    String alice = createKey("alice");
    String bob = createKey("bob");
    chat.enqueue(MockOpenAiServer.Reply.text("Hi Alice."));
    String id = create(alice, ask("gpt-4o", "Hello")).path("id").asText();
    assertThat(send("GET", "/v1/responses/" + id, alice, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/responses/" + id, TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/responses/" + id, bob, null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v1/responses/" + id + "/input_items", bob, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/v1/responses/" + id, bob, null).statusCode()).isEqualTo(404);
    HttpResponse<String> cont = send("POST", "/v1/responses", bob, Json.text(ask("gpt-4o", "x").put("previous_response_id", id)));
    assertThat(cont.statusCode()).isEqualTo(400);
    assertThat(send("GET", "/v1/responses/" + id, alice, null).statusCode()).as("still there for Alice").isEqualTo(200);
  }

  private static String createKey(String name) {
    HttpResponse<String> r = send("POST", "/api/v1/keys", TestGateway.MASTER_KEY, "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r.body()).path("key").asText();
  }

  private static long rows() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM responses")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---- Codex's own request (CLI 0.171.0, captured)

  static ObjectNode codexRequest(String model) throws Exception {
    ObjectNode body = (ObjectNode) Json.parse(io.vertx.core.buffer.Buffer.buffer(
        io.junction.protocol.responses.ResponsesCodecTest.codexFixture()));
    return body.put("model", model);
  }

  @Test
  void codexRequestIsRelayedAsItCame() throws Exception {
    ChatAnswer.script(openai, "hi");
    ObjectNode body = codexRequest("oai/gpt-5");
    JsonNode response = create(TestGateway.MASTER_KEY, body);
    assertThat(text(response)).isEqualTo("hi");
    ObjectNode expected = body.deepCopy().put("model", "gpt-5");
    assertThat(openai.last().json()).isEqualTo(expected);
  }

  @Test
  void codexRequestIsTranslatedToAnthropic() throws Exception {
    anthropic.enqueue(MockAnthropicServer.Reply.text("hi").usage(900, 3));
    JsonNode response = create(TestGateway.MASTER_KEY, codexRequest("claude-sonnet-4-5"));
    assertThat(text(response)).isEqualTo("hi");
    assertThat(response.path("usage").path("input_tokens").asLong()).isEqualTo(900);
    JsonNode sent = anthropic.requests().get(anthropic.requests().size() - 1).body();
    assertThat(sent.path("system").toString()).contains("Codex CLI");
    assertThat(sent.path("messages").get(0).path("content").toString()).contains("say hi");
    List<String> tools = new ArrayList<>();
    sent.path("tools").forEach(t -> tools.add(t.path("name").asText()));
    assertThat(tools).contains("exec_command", "multi_agent_v1__spawn_agent").doesNotContain("web_search");
  }

  /** The chat mock answers a request with tools by calling the first one: Codex gets it as a function_call item. */
  @Test
  void codexRequestIsTranslatedToChatCompletions() throws Exception {
    chat.enqueue(MockOpenAiServer.Reply.text("unused: the mock calls the first tool"));
    JsonNode response = create(TestGateway.MASTER_KEY, codexRequest("gpt-4o"));
    assertThat(response.path("output")).anySatisfy(item -> {
      assertThat(item.path("type").asText()).isEqualTo("function_call");
      assertThat(item.path("name").asText()).isEqualTo("exec_command");
      assertThat(item.path("call_id").asText()).isNotBlank();
    });
    JsonNode sent = chat.received.get(chat.received.size() - 1).body();
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("stream").asBoolean()).isTrue();
  }

  /** Codex tries a WebSocket on /v1/responses first; 426 is the one answer it falls back to HTTP on at once. */
  @Test
  void webSocketHandshakeIsRefusedWith426() {
    WebSocketClient ws = vertx.createWebSocketClient();
    try {
      Throwable err = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI("/v1/responses")
          .addHeader("authorization", "Bearer " + TestGateway.MASTER_KEY))
          .toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get();
      assertThat(err).isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class);
      assertThat(((io.vertx.core.http.UpgradeRejectedException) err).getStatus()).isEqualTo(426);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      ws.close();
    }
  }
}
