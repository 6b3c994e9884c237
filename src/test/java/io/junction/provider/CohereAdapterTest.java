package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Role;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Tool;
import io.junction.protocol.Usage;
import io.junction.testing.MockCohereServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.MockUpstreamBase.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter's calls, sent over loopback to the strict Cohere mock, and the answers decoded by the codec. */
class CohereAdapterTest {
  static Vertx vertx;
  static MockCohereServer mock;
  final CohereAdapter adapter = new CohereAdapter();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mock = MockCohereServer.start(vertx, "co-key");
  }

  @AfterAll
  static void stop() {
    mock.close();
    MockUpstreamBase.await(vertx.close());
  }

  ProviderConfig config() { return ProviderConfig.simple("cohere", "cohere", mock.baseUrl() + "/", List.of("co-key"), List.of()); }

  static ChatRequest toolRoundTrip(boolean stream) throws Exception {
    ChatRequest req = new ChatRequest();
    req.system.add(new Part.Text("You are a weather bot."));
    req.messages.add(Message.of(Role.USER, new Part.Text("Weather in Paris?")));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.Text("Checking."), new Part.ToolCall("get_weather_1", "get_weather", "{\"city\":\"Paris\"}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("get_weather_1", "get_weather", List.of(new Part.Text("18C")), false)));
    req.tools.add(new Tool("get_weather", "Current weather", io.junction.protocol.Json.parse("{\"type\":\"object\"}")));
    req.stream = stream;
    return req;
  }

  static ChatResponse answer() {
    ChatResponse r = new ChatResponse();
    r.id = "a1b2";
    r.content.add(new Part.Text("It is 18C in Paris."));
    r.usage = new Usage(40, 9);
    return r;
  }

  @Test
  void completesAToolRoundTrip() throws Exception {
    mock.answer(answer());
    ChatRequest req = toolRoundTrip(false);
    Response resp = MockUpstreamBase.send(vertx, adapter.chat(config(), "co-key", "command-a-03-2025", false,
        adapter.codec().encodeRequest(req, "command-a-03-2025")));
    assertThat(resp.status()).as(resp.body().toString()).isEqualTo(200);
    ChatResponse decoded = adapter.codec().decodeResponse(resp.body());
    assertThat(decoded.id).isEqualTo("a1b2");
    assertThat(decoded.text()).isEqualTo("It is 18C in Paris.");
    assertThat(decoded.finishReason).isEqualTo(FinishReason.STOP);
    assertThat(decoded.usage).isEqualTo(new Usage(40, 9));
    MockUpstreamBase.Received got = mock.last();
    assertThat(got.path()).isEqualTo("/v2/chat");
    assertThat(got.headers().get("authorization")).isEqualTo("Bearer co-key");
    assertThat(got.json().at("/messages/3/role").asText()).isEqualTo("tool");
  }

  @Test
  void streamsToolCalls() throws Exception {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Text("Let me look."));
    r.content.add(new Part.ToolCall("get_weather_2", "get_weather", "{\"city\":\"Rome\"}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(50, 20);
    mock.answer(r);
    ChatRequest req = toolRoundTrip(true);
    Response resp = MockUpstreamBase.send(vertx, adapter.chat(config(), "co-key", "command-a-03-2025", true,
        adapter.codec().encodeRequest(req, "command-a-03-2025")));
    assertThat(resp.status()).isEqualTo(200);
    assertThat(mock.last().headers().get("accept")).isEqualTo("text/event-stream");
    StreamDecoder decoder = adapter.codec().streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    resp.replay(chunk -> decoder.feed(chunk, events::add));
    decoder.finish(events::add);
    StringBuilder text = new StringBuilder();
    StringBuilder args = new StringBuilder();
    events.forEach(e -> {
      if (e instanceof StreamEvent.TextDelta t) text.append(t.text());
      if (e instanceof StreamEvent.ToolCallDelta d) args.append(d.argumentsFragment());
    });
    assertThat(text.toString()).isEqualTo("Let me look.");
    assertThat(args.toString()).isEqualTo("{\"city\":\"Rome\"}");
    assertThat(events).contains(new StreamEvent.ToolCallStart(0, "get_weather_2", "get_weather"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null), new StreamEvent.UsageReport(new Usage(50, 20)));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.End());
  }

  @Test
  void aWrongKeyIs401WithCoheresMessage() throws Exception {
    Response resp = MockUpstreamBase.send(vertx, adapter.chat(config(), "wrong", "command-a-03-2025", false,
        adapter.codec().encodeRequest(toolRoundTrip(false), "command-a-03-2025")));
    assertThat(resp.status()).isEqualTo(401);
    assertThat(adapter.codec().errorMessage(401, resp.body())).isEqualTo("invalid api token");
  }

  @Test
  void relaysUpstreamErrors() throws Exception {
    mock.error(429, "You are using a Trial key, which is limited to 10 API calls / minute.");
    Response resp = MockUpstreamBase.send(vertx, adapter.chat(config(), "co-key", "command-a-03-2025", false,
        adapter.codec().encodeRequest(toolRoundTrip(false), "command-a-03-2025")));
    assertThat(resp.status()).isEqualTo(429);
    assertThat(adapter.codec().errorMessage(429, resp.body())).startsWith("You are using a Trial key");
  }

  @Test
  void listsChatModels() {
    Response resp = MockUpstreamBase.send(vertx, adapter.listModels(config(), "co-key"));
    assertThat(resp.status()).isEqualTo(200);
    assertThat(mock.last().query()).isEqualTo("endpoint=chat&page_size=1000");
    assertThat(adapter.parseModels(resp.body())).containsExactlyElementsOf(mock.models);
    assertThatThrownBy(() -> adapter.parseModels(Buffer.buffer("{\"data\":[]}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
  }

  @Test
  void defaultsToCoheresHost() {
    ProviderConfig noBase = ProviderConfig.simple("cohere", "cohere", null, List.of("k"), List.of());
    assertThat(adapter.chat(noBase, "k", "m", false, Buffer.buffer("{}")).url()).isEqualTo("https://api.cohere.com/v2/chat");
    assertThat(adapter.listModels(noBase, "k").url()).startsWith("https://api.cohere.com/v1/models?");
  }
}
