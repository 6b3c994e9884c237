package io.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Role;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.junction.provider.GeminiAdapter;
import io.junction.provider.UpstreamCall;
import io.junction.testing.MockGeminiServer;
import io.junction.provider.UpstreamClient;
import io.junction.testing.MockUpstreamBase;
import io.vertx.core.Promise;
import io.junction.testing.MockGeminiServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GeminiAdapter's calls made over loopback against the strict MockGeminiServer, decoded by the codec. */
class GeminiAdapterTest {
  private static final String KEY = "AIza-test-key";

  private Vertx vertx;
  private MockGeminiServer mock;
  private final GeminiAdapter adapter = new GeminiAdapter();

  private record Answer(int status, String contentType, Buffer body) {}

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    mock = MockGeminiServer.start(vertx, KEY, "gemini-2.5-flash", "gemini-2.0-flash").await();
  }

  @AfterEach
  void stop() throws Exception {
    mock.close().await();
    vertx.close().await();
  }

  private ProviderConfig provider(String baseUrl) {
    return new ProviderConfig("gemini", "gemini", null, baseUrl, List.of(KEY), null, 1, List.of(), 0, 0, 0, 0, 0,
        Map.of("x-extra", "1"), true, Map.of());
  }

  /**
   * Sends through the gateway's own upstream client (which also adds the provider's extra headers),
   * built on the event loop so the body handler is attached in the tick the response arrives.
   */
  private Answer send(UpstreamCall call) {
    UpstreamClient client = new UpstreamClient(vertx, null);
    Promise<Answer> answer = Promise.promise();
    vertx.runOnContext(v -> client.send(call, provider(mock.baseUrl()), req -> { })
        .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), resp.getHeader("content-type"), body)))
        .onComplete(answer));
    return MockUpstreamBase.await(answer.future());
  }

  private static ChatRequest hello() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("Hello")));
    return req;
  }

  @Test
  void adapterIdentity() {
    assertThat(adapter.type()).isEqualTo("gemini");
    assertThat(adapter.protocol()).isEqualTo(io.junction.protocol.Protocol.GEMINI);
    assertThat(adapter.codec()).isInstanceOf(GeminiCodec.class);
    assertThat(adapter.defaultBaseUrl()).isEqualTo("https://generativelanguage.googleapis.com");
    assertThat(adapter.chat(provider(null), KEY, "gemini-2.5-flash", true, Buffer.buffer("{}")).url())
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(adapter.chat(provider("https://proxy.example/v1beta/"), KEY, "tunedModels/my-model", false, Buffer.buffer("{}")).url())
        .isEqualTo("https://proxy.example/v1beta/tunedModels/my-model:generateContent");
  }

  @Test
  void generateContentRoundTrip() throws Exception {
    mock.reply(Reply.text("Hi there"));
    UpstreamCall call = adapter.chat(provider(mock.baseUrl()), KEY, "gemini-2.5-flash", false,
        adapter.codec().encodeRequest(hello(), "gemini-2.5-flash"));
    Answer answer = send(call);
    assertThat(answer.status()).isEqualTo(200);
    ChatResponse response = adapter.codec().decodeResponse(answer.body());
    assertThat(response.text()).isEqualTo("Hi there");
    assertThat(response.usage).isEqualTo(new Usage(5, 3));

    MockGeminiServer.Received received = mock.requests().get(0);
    assertThat(received.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(received.model()).isEqualTo("gemini-2.5-flash");
    assertThat(received.headers().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(received.headers().get("x-extra")).isEqualTo("1");
    assertThat(received.body().at("/contents/0/parts/0/text").asText()).isEqualTo("Hello");
  }

  @Test
  void streamingUsesSseAndDecodesToCanonicalEvents() throws Exception {
    mock.reply(Reply.stream(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}",
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":2,\"totalTokenCount\":6}}"));
    Answer answer = send(adapter.chat(provider(mock.baseUrl()), KEY, "gemini-2.5-flash", true,
        adapter.codec().encodeRequest(hello(), "gemini-2.5-flash")));
    assertThat(answer.contentType()).isEqualTo("text/event-stream");
    assertThat(mock.requests().get(0).query()).isEqualTo("alt=sse");

    StreamDecoder decoder = adapter.codec().streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    decoder.feed(answer.body(), events::add);
    decoder.finish(events::add);
    assertThat(events).containsSubsequence(new StreamEvent.TextDelta("Hel"), new StreamEvent.TextDelta("lo"),
        new StreamEvent.UsageReport(new Usage(4, 2)), new StreamEvent.Finish(FinishReason.STOP, null), new StreamEvent.End());
  }

  @Test
  void listsModelsWithoutTheModelsPrefix() throws Exception {
    Answer answer = send(adapter.listModels(provider(mock.baseUrl()), KEY));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(adapter.parseModels(answer.body())).containsExactly("gemini-2.0-flash", "gemini-2.5-flash");
    assertThat(mock.requests().get(0).headers().get("x-goog-api-key")).isEqualTo(KEY);
  }

  @Test
  void theMockRejectsWhatGoogleRejects() throws Exception {
    ProviderConfig p = provider(mock.baseUrl());
    Buffer body = adapter.codec().encodeRequest(hello(), "gemini-2.5-flash");

    Answer badKey = send(adapter.chat(p, "wrong", "gemini-2.5-flash", false, body));
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(adapter.codec().errorMessage(400, badKey.body())).isEqualTo("API key not valid. Please pass a valid API key.");

    Answer unknownModel = send(adapter.chat(p, KEY, "gemini-9-ultra", false, body));
    assertThat(unknownModel.status()).isEqualTo(404);
    assertThat(adapter.codec().errorMessage(404, unknownModel.body())).contains("models/gemini-9-ultra is not found");

    Answer noContents = send(adapter.chat(p, KEY, "gemini-2.5-flash", false, Buffer.buffer("{\"contents\":[]}")));
    assertThat(noContents.status()).isEqualTo(400);

    mock.reply(Reply.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."));
    Answer limited = send(adapter.chat(p, KEY, "gemini-2.5-flash", false, body));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(adapter.codec().errorMessage(429, limited.body())).startsWith("Resource has been exhausted");
  }

  @Test
  void anEncodedParallelToolConversationPassesTheStrictMock() throws Exception {
    ChatRequest req = hello();
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("call_a", "f", "{\"x\":1}"), new Part.ToolCall("call_b", "g", "{}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_a", null, List.of(new Part.Text("one")), false)));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_b", null, List.of(new Part.Text("two")), false)));
    req.tools.add(new io.junction.protocol.Tool("f", null, Json.parse("{\"type\":\"object\"}")));
    req.tools.add(new io.junction.protocol.Tool("g", "no parameters", null));
    req.reasoning = new io.junction.protocol.Reasoning("low", null, true);
    Answer answer = send(adapter.chat(provider(mock.baseUrl()), KEY, "gemini-2.5-flash", false,
        adapter.codec().encodeRequest(req, "gemini-2.5-flash")));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
  }

  @Test
  void theMockRejectsUnknownFieldsAndUnansweredCalls() throws Exception {
    ProviderConfig p = provider(mock.baseUrl());
    Answer unknown = send(adapter.chat(p, KEY, "gemini-2.5-flash", false,
        Buffer.buffer("{\"contents\":[{\"parts\":[{\"text\":\"hi\",\"cache_control\":{}}]}]}")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(adapter.codec().errorMessage(400, unknown.body())).contains("Unknown name \"contents.parts.cache_control\"");

    Answer unanswered = send(adapter.chat(p, KEY, "gemini-2.5-flash", false, Buffer.buffer("""
        {"contents":[{"role":"user","parts":[{"text":"hi"}]},
          {"role":"model","parts":[{"functionCall":{"name":"f","args":{}}},{"functionCall":{"name":"f","args":{}}}]},
          {"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""")));
    assertThat(unanswered.status()).isEqualTo(400);
    assertThat(adapter.codec().errorMessage(400, unanswered.body())).contains("number of function response parts");
  }

  @Test
  void aTruncatedUpstreamStreamBecomesAnError() throws Exception {
    mock.reply(Reply.raw(200, "text/event-stream",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"));
    Answer answer = send(adapter.chat(provider(mock.baseUrl()), KEY, "gemini-2.5-flash", true,
        adapter.codec().encodeRequest(hello(), "gemini-2.5-flash")));
    StreamDecoder decoder = adapter.codec().streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    decoder.feed(answer.body(), events::add);
    decoder.finish(events::add);
    assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Error.class);
  }
}
