package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.DispatchMode;
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
import io.junction.protocol.Usage;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.MockUpstreamBase.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed calls over loopback to the strict Bedrock mock, which recomputes every signature. */
class BedrockAdapterTest {
  static final String KEY = "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static Vertx vertx;
  static MockBedrockServer mock;
  final BedrockAdapter adapter = new BedrockAdapter();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mock = MockBedrockServer.start(vertx, AwsSigV4.Credentials.parse(KEY), "eu-west-1");
  }

  @AfterAll
  static void stop() {
    mock.close();
    MockUpstreamBase.await(vertx.close());
  }

  static ProviderConfig config(String baseUrl, String region) {
    return new ProviderConfig("bedrock", "bedrock", null, baseUrl, List.of(KEY), DispatchMode.POOLED, 1, List.of(),
        1000, 1000, 1000, 1000, 0, Map.of(), true, region == null ? Map.of() : Map.of("region", region));
  }

  ProviderConfig config() { return config(mock.baseUrl(), "eu-west-1"); }

  static ChatRequest question() {
    ChatRequest req = new ChatRequest();
    req.system.add(new Part.Text("Be brief."));
    req.messages.add(Message.of(Role.USER, new Part.Text("Weather in Paris?")));
    req.maxTokens = 256;
    return req;
  }

  Response call(String key, ChatRequest req, boolean stream) {
    return MockUpstreamBase.send(vertx, adapter.chat(config(), key, MODEL, stream, adapter.codec().encodeRequest(req, MODEL)));
  }

  @Test
  void signsConverseCallsTheMockAccepts() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Text("Sunny, 18C."));
    r.usage = new Usage(25, 7);
    mock.answer(r);
    Response resp = call(KEY, question(), false);
    assertThat(resp.status()).as(resp.body().toString()).isEqualTo(200);
    ChatResponse decoded = adapter.codec().decodeResponse(resp.body());
    assertThat(decoded.text()).isEqualTo("Sunny, 18C.");
    assertThat(decoded.usage).isEqualTo(new Usage(25, 7));
    assertThat(mock.last().path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    assertThat(mock.lastModelId()).isEqualTo(MODEL);
  }

  @Test
  void streamsFromConverseStream() throws Exception {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Text("Checking."));
    r.content.add(new Part.ToolCall("tooluse_9", "get_weather", "{\"city\":\"Paris\"}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(130, 40, 100, 0, 0);
    mock.answer(r);
    ChatRequest req = question();
    req.tools.add(new io.junction.protocol.Tool("get_weather", "Weather", io.junction.protocol.Json.parse("{\"type\":\"object\"}")));
    Response resp = call(KEY, req, true);
    assertThat(resp.status()).isEqualTo(200);
    assertThat(resp.headers().get("content-type")).isEqualTo("application/vnd.amazon.eventstream");
    assertThat(mock.last().path()).endsWith("/converse-stream");
    List<StreamEvent> events = decode(resp);
    assertThat(events).contains(new StreamEvent.TextDelta("Chec"), new StreamEvent.ToolCallStart(0, "tooluse_9", "get_weather"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null), new StreamEvent.UsageReport(new Usage(130, 40, 100, 0, 0)));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.End());
  }

  @Test
  void aStreamExceptionReachesTheClientAsAnError() {
    mock.enqueue(new MockUpstreamBase.Reply.Raw(200, "application/vnd.amazon.eventstream", List.of(
        MockBedrockServer.eventFrame("messageStart", io.junction.protocol.Json.object().put("role", "assistant")),
        MockBedrockServer.exceptionFrame("modelStreamErrorException", "Model stream failed"))));
    List<StreamEvent> events = decode(call(KEY, question(), true));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Error("api_error", "Model stream failed"));
  }

  private List<StreamEvent> decode(Response resp) {
    StreamDecoder decoder = adapter.codec().streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    resp.replay(chunk -> decoder.feed(chunk, events::add));
    decoder.finish(events::add);
    return events;
  }

  @Test
  void sessionCredentialsSendAndSignTheToken() {
    AwsSigV4.Credentials session = AwsSigV4.Credentials.parse(KEY + ":FwoGZXIvYXdzEJr//////////token");
    try (MockBedrockServer sessionMock = MockBedrockServer.start(vertx, session, "us-east-1")) {
      ProviderConfig cfg = config(sessionMock.baseUrl(), null);
      sessionMock.answer(new ChatResponse());
      Buffer body = adapter.codec().encodeRequest(question(), MODEL);
      assertThat(MockUpstreamBase.send(vertx, adapter.chat(cfg, KEY + ":FwoGZXIvYXdzEJr//////////token", MODEL, false, body)).status())
          .isEqualTo(200);
      assertThat(sessionMock.last().headers().get("x-amz-security-token")).isEqualTo("FwoGZXIvYXdzEJr//////////token");
      Response withoutToken = MockUpstreamBase.send(vertx, adapter.chat(cfg, KEY, MODEL, false, body));
      assertThat(withoutToken.status()).isEqualTo(403);
    }
  }

  @Test
  void aWrongSecretIsRejectedAsABadSignature() {
    Response resp = call("AKIAIOSFODNN7EXAMPLE:not-the-secret", question(), false);
    assertThat(resp.status()).isEqualTo(403);
    assertThat(resp.headers().get("x-amzn-ErrorType")).startsWith("InvalidSignatureException");
    assertThat(adapter.codec().errorMessage(403, resp.body())).contains("signature we calculated does not match");
  }

  @Test
  void anUnknownAccessKeyIsRejected() {
    Response resp = call("AKIDUNKNOWN:whatever", question(), false);
    assertThat(resp.status()).isEqualTo(403);
    assertThat(resp.headers().get("x-amzn-ErrorType")).startsWith("UnrecognizedClientException");
  }

  @Test
  void theRegionComesFromTheProviderOptions() {
    ProviderConfig wrongRegion = config(mock.baseUrl(), "us-west-2");
    Response resp = MockUpstreamBase.send(vertx, adapter.chat(wrongRegion, KEY, MODEL, false, adapter.codec().encodeRequest(question(), MODEL)));
    assertThat(resp.status()).isEqualTo(403);
    assertThat(adapter.codec().errorMessage(403, resp.body())).contains("region should be eu-west-1");
  }

  @Test
  void signaturesAreStampedWithTheAdaptersClock() {
    BedrockAdapter stale = new BedrockAdapter(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC));
    Response resp = MockUpstreamBase.send(vertx, stale.chat(config(), KEY, MODEL, false, adapter.codec().encodeRequest(question(), MODEL)));
    assertThat(resp.status()).isEqualTo(403);
    assertThat(adapter.codec().errorMessage(403, resp.body())).contains("Signature expired: 20200101T000000Z");
  }

  @Test
  void relaysThrottlingWithItsErrorType() {
    mock.error(429, "Too many requests, please wait before trying again.");
    Response resp = call(KEY, question(), false);
    assertThat(resp.status()).isEqualTo(429);
    assertThat(resp.headers().get("x-amzn-ErrorType")).startsWith("ThrottlingException");
    assertThat(adapter.codec().errorMessage(429, resp.body())).isEqualTo("Too many requests, please wait before trying again.");
  }

  @Test
  void theMockRejectsWhatBedrockRejects() {
    ChatRequest assistantFirst = new ChatRequest();
    assistantFirst.messages.add(Message.of(Role.ASSISTANT, new Part.Text("Hello")));
    Response resp = call(KEY, assistantFirst, false);
    assertThat(resp.status()).isEqualTo(400);
    assertThat(resp.headers().get("x-amzn-ErrorType")).startsWith("ValidationException");
    assertThat(adapter.codec().errorMessage(400, resp.body())).contains("must start with a user message");
  }

  @Test
  void listsFoundationModels() {
    Response resp = MockUpstreamBase.send(vertx, adapter.listModels(config(), KEY));
    assertThat(resp.status()).as(resp.body().toString()).isEqualTo(200);
    assertThat(adapter.parseModels(resp.body())).containsExactlyElementsOf(mock.models);
    assertThatThrownBy(() -> adapter.parseModels(Buffer.buffer("[]")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
  }

  @Test
  void buildsRegionalUrlsWithoutABaseUrl() {
    ProviderConfig cfg = config(null, "ap-northeast-1");
    assertThat(adapter.chat(cfg, KEY, "arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/apac.claude", true, Buffer.buffer("{}")).url())
        .isEqualTo("https://bedrock-runtime.ap-northeast-1.amazonaws.com/model/"
            + "arn%3Aaws%3Abedrock%3Aap-northeast-1%3A123456789012%3Ainference-profile%2Fapac.claude/converse-stream");
    assertThat(adapter.listModels(cfg, KEY).url()).isEqualTo("https://bedrock.ap-northeast-1.amazonaws.com/foundation-models");
    assertThat(adapter.baseUrl(config(null, null))).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com");
  }

  @Test
  void malformedKeysAre401sThatDoNotLeakTheKey() {
    assertThatThrownBy(() -> adapter.chat(config(), "sk-not-aws", MODEL, false, Buffer.buffer("{}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.status).isEqualTo(401);
          assertThat(e.getMessage()).doesNotContain("sk-not-aws");
        });
  }
}
