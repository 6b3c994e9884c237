package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.Role;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Tool;
import io.junction.protocol.Usage;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockAnthropicServer.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter's calls, encoded by the codec, over real HTTP to the strict mock Anthropic API. */
class AnthropicAdapterTest {
  static Vertx vertx;
  static MockAnthropicServer mock;
  static UpstreamClient http;
  static final AnthropicAdapter adapter = new AnthropicAdapter();
  static final AnthropicCodec codec = AnthropicCodec.INSTANCE;
  static ProviderConfig config;

  record Answer(int status, Buffer body) {}

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mock = new MockAnthropicServer(vertx);
    http = new UpstreamClient(vertx, null);
    ProviderConfig simple = ProviderConfig.simple("anthropic", "anthropic", mock.baseUrl() + "/", List.of(MockAnthropicServer.KEY), List.of());
    config = new ProviderConfig(simple.name(), simple.type(), null, simple.baseUrl(), simple.apiKeys(), simple.dispatch(),
        1, simple.models(), simple.timeoutMs(), simple.connectTimeoutMs(), simple.firstByteTimeoutMs(), simple.idleTimeoutMs(),
        simple.maxRetries(), Map.of("anthropic-beta", "prompt-caching-2024-07-31"), true, Map.of());
  }

  @AfterAll
  static void stop() {
    await(http.close());
    mock.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Answer send(UpstreamCall call) {
    // Built on the event loop so the body handler is attached in the tick the response arrives;
    // from the test thread, a fast small response could end before the handler is set.
    Promise<Answer> answer = Promise.promise();
    vertx.runOnContext(v -> http.send(call, config, req -> { })
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)))
        .onComplete(answer));
    return await(answer.future());
  }

  /** What an OpenAI client typically sends: no max_tokens, a tool round, reasoning effort. */
  static ChatRequest openAiStyleRequest() throws Exception {
    ChatRequest req = new ChatRequest();
    req.system.add(new Part.Text("You are terse."));
    req.tools.add(new Tool("get_weather", "Weather", Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")));
    req.messages.add(Message.of(Role.USER, new Part.Text("Weather in Paris?")));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.Text(""), new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_1", null, List.of(new Part.Text("18C")), false)));
    req.reasoning = new Reasoning("low", null, false);
    req.temperature = 0.7;
    return req;
  }

  @Test
  void chatIsAcceptedByTheStrictMockAndDecoded() throws Exception {
    mock.enqueue(Reply.empty().thinking("Easy.", "sig-abc").addText("It is 18C in Paris.").usage(30, 12).cache(100, 0));
    Buffer body = codec.encodeRequest(openAiStyleRequest(), "claude-sonnet-4-5");
    Answer a = send(adapter.chat(config, MockAnthropicServer.KEY, "claude-sonnet-4-5", false, body));

    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    var received = mock.lastRequest();
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.headers().get("x-api-key")).isEqualTo(MockAnthropicServer.KEY);
    assertThat(received.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(received.headers().get("anthropic-beta")).as("config headers pass through").isEqualTo("prompt-caching-2024-07-31");
    assertThat(received.body().get("max_tokens").asInt()).isEqualTo(64000);
    assertThat(received.body().get("thinking").get("budget_tokens").asInt()).isEqualTo(2048);

    ChatResponse r = codec.decodeResponse(a.body());
    assertThat(r.text()).isEqualTo("It is 18C in Paris.");
    assertThat(r.content.get(0)).isEqualTo(new Part.Thinking("Easy.", "sig-abc", null));
    assertThat(r.usage).isEqualTo(new Usage(130, 12, 100, 0, 0));
  }

  @Test
  void streamedToolCallIsDecoded() throws Exception {
    mock.enqueue(Reply.text("Let me check.").toolUse("toolu_01", "get_weather", "{\"city\":\"Rome\",\"unit\":\"c\"}").usage(40, 20));
    ChatRequest req = openAiStyleRequest();
    req.stream = true;
    Answer a = send(adapter.chat(config, MockAnthropicServer.KEY, "claude-haiku-4-5", true, codec.encodeRequest(req, "claude-haiku-4-5")));
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    assertThat(mock.lastRequest().headers().get("accept")).isEqualTo("text/event-stream");

    List<StreamEvent> events = new ArrayList<>();
    StreamDecoder decoder = codec.streamDecoder();
    decoder.feed(a.body(), events::add);
    decoder.finish(events::add);
    StringBuilder args = new StringBuilder();
    events.stream().filter(e -> e instanceof StreamEvent.ToolCallDelta).forEach(e -> args.append(((StreamEvent.ToolCallDelta) e).argumentsFragment()));
    assertThat(Json.parse(args.toString())).isEqualTo(Json.parse("{\"city\":\"Rome\",\"unit\":\"c\"}"));
    assertThat(events).contains(new StreamEvent.ToolCallStart(0, "toolu_01", "get_weather"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null), new StreamEvent.UsageReport(new Usage(40, 20)));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.End());
  }

  @Test
  void countTokensAndModelList() {
    mock.countTokensAnswer(17);
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("Hello, world")));
    req.maxTokens = 10;
    Answer count = send(adapter.countTokens(config, MockAnthropicServer.KEY, "claude-sonnet-4-5", codec.encodeCountTokensRequest(req, "claude-sonnet-4-5")));
    assertThat(count.status()).as(count.body().toString()).isEqualTo(200);
    assertThat(mock.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(codec.decodeCountTokensResponse(count.body())).isEqualTo(17);

    mock.models("claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929");
    Answer models = send(adapter.listModels(config, MockAnthropicServer.KEY));
    assertThat(models.status()).isEqualTo(200);
    assertThat(mock.lastRequest().headers().get("x-api-key")).isEqualTo(MockAnthropicServer.KEY);
    assertThat(adapter.parseModels(models.body())).containsExactly("claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929");
  }

  @Test
  void upstreamErrorsAreReadable() {
    mock.enqueue(Reply.error(529, "overloaded_error", "Overloaded"));
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("hi")));
    Answer a = send(adapter.chat(config, MockAnthropicServer.KEY, "claude-sonnet-4-5", false, codec.encodeRequest(req, "claude-sonnet-4-5")));
    assertThat(a.status()).isEqualTo(529);
    assertThat(codec.errorMessage(a.status(), a.body())).isEqualTo("Overloaded");

    Answer wrongKey = send(adapter.chat(config, "sk-wrong", "claude-sonnet-4-5", false, codec.encodeRequest(req, "claude-sonnet-4-5")));
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(codec.errorMessage(401, wrongKey.body())).isEqualTo("invalid x-api-key");
  }

  @Test
  void theMockRejectsWhatTheRealApiRejects() {
    String noMaxTokens = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    Answer a = send(adapter.chat(config, MockAnthropicServer.KEY, "claude-sonnet-4-5", false, Buffer.buffer(noMaxTokens)));
    assertThat(a.status()).isEqualTo(400);
    assertThat(codec.errorMessage(400, a.body())).contains("max_tokens");

    Buffer orphanResult = Buffer.buffer("""
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"x"}]}]}""");
    assertThat(send(adapter.chat(config, MockAnthropicServer.KEY, "m", false, orphanResult)).status()).isEqualTo(400);

    Buffer unknownField = Buffer.buffer("{\"model\":\"m\",\"max_tokens\":5,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(codec.errorMessage(400, send(adapter.chat(config, MockAnthropicServer.KEY, "m", false, unknownField)).body()))
        .contains("Extra inputs are not permitted");

    UpstreamCall noVersion = adapter.chat(config, MockAnthropicServer.KEY, "m", false, Buffer.buffer(noMaxTokens));
    noVersion.headers().remove("anthropic-version");
    assertThat(codec.errorMessage(400, send(noVersion).body())).contains("anthropic-version");
  }
}
