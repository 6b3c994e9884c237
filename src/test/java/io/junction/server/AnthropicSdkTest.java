package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockAnthropicServer.Reply;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official anthropic-java SDK against Junction, served by a mock Anthropic upstream (same
 * protocol) and by a mock OpenAI upstream (translated); and the openai-java SDK served by the
 * mock Anthropic upstream.
 */
class AnthropicSdkTest {
  static Vertx vertx;
  static MockAnthropicServer anthropicUpstream;
  static MockOpenAiServer openAiUpstream;
  static TestGateway gateway;
  static AnthropicClient anthropic;
  static OpenAIClient openai;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    anthropicUpstream = new MockAnthropicServer(vertx);
    openAiUpstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("claude", "anthropic", anthropicUpstream.baseUrl(), List.of(MockAnthropicServer.KEY),
            List.of("claude-sonnet-4-5", "claude-haiku-4-5")),
        ProviderConfig.simple("openai", "openai", openAiUpstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")));
    anthropic = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url()).maxRetries(0).build();
    openai = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropicUpstream.close();
    openAiUpstream.close();
    vertx.close();
  }

  private static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage("What's the weather in Paris?");
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
        .build();
  }

  private static Message accumulate(MessageCreateParams params) {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  @Test
  void anthropicClientToAnthropicUpstream() {
    anthropicUpstream.enqueue(Reply.text("Sunny, 21C.").usage(25, 7).cache(100, 0));
    var raw = anthropic.messages().withRawResponse().create(ask("claude-sonnet-4-5").build());
    Message m = raw.parse();
    assertThat(m.content().get(0).asText().text()).isEqualTo("Sunny, 21C.");
    assertThat(m.usage().inputTokens()).isEqualTo(25);
    assertThat(m.usage().cacheReadInputTokens()).contains(100L);
    assertThat(raw.headers().values("x-junction-provider")).containsExactly("claude");
    var received = anthropicUpstream.lastRequest();
    assertThat(received.headers().get("x-api-key")).isEqualTo(MockAnthropicServer.KEY);
    assertThat(received.body().get("max_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void anthropicClientStreamsThinkingAndAToolCallFromAnthropic() {
    anthropicUpstream.enqueue(Reply.empty().thinking("Need the tool.", "c2lnbmF0dXJl").addText("Checking.")
        .toolUse("toolu_01A", "get_weather", "{\"city\":\"Paris\"}").usage(50, 30));
    Message m = accumulate(ask("claude-haiku-4-5").addTool(weatherTool()).build());
    assertThat(m.content()).hasSize(3);
    assertThat(m.content().get(0).asThinking().signature()).isEqualTo("c2lnbmF0dXJl");
    assertThat(m.content().get(2).asToolUse().name()).isEqualTo("get_weather");
    assertThat(m.content().get(2).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(m.usage().outputTokens()).isEqualTo(30);
  }

  @Test
  void anthropicClientServedByOpenAi() {
    Message m = anthropic.messages().create(ask("gpt-4o").system("Be brief.").build());
    assertThat(m.content().get(0).asText().text()).contains("Hello from mock");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isPositive();
    assertThat(m.usage().outputTokens()).isPositive();
    var sent = openAiUpstream.last().body();
    assertThat(sent.get("messages").get(0).get("role").asText()).isIn("system", "developer");
  }

  @Test
  void anthropicClientStreamsFromOpenAi() {
    Message m = accumulate(ask("gpt-4o").build());
    assertThat(m.content().get(0).asText().text()).contains("Hello from mock");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().outputTokens()).isPositive();
  }

  @Test
  void openAiClientServedByAnthropic() {
    anthropicUpstream.enqueue(Reply.text("Bonjour!").usage(9, 3));
    ChatCompletion c = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addSystemMessage("Answer in French.").addUserMessage("Hello").build());
    assertThat(c.choices().get(0).message().content()).contains("Bonjour!");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(9);
    var sent = anthropicUpstream.lastRequest().body();
    assertThat(sent.get("max_tokens").asInt()).as("defaulted from the model").isEqualTo(64000);
    assertThat(sent.get("system").asText()).isEqualTo("Answer in French.");

    anthropicUpstream.enqueue(Reply.text("Streaming bonjour").usage(9, 4));
    StringBuilder text = new StringBuilder();
    try (var s = openai.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addUserMessage("Hello").build())) {
      s.stream().map(ChatCompletionChunk::choices).flatMap(List::stream)
          .forEach(ch -> ch.delta().content().ifPresent(text::append));
    }
    assertThat(text.toString()).isEqualTo("Streaming bonjour");
  }

  @Test
  void countTokensAsksAnthropicAndEstimatesForOthers() {
    anthropicUpstream.countTokensAnswer(17);
    MessageCountTokensParams.Builder count = MessageCountTokensParams.builder().addUserMessage("Hello, world").system("Be brief.");
    var counted = anthropic.messages().withRawResponse().countTokens(count.model("claude-sonnet-4-5").build());
    assertThat(counted.parse().inputTokens()).isEqualTo(17);
    assertThat(counted.headers().values("x-junction-token-count")).containsExactly("provider");
    var sent = anthropicUpstream.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(sent.body().get("system").asText()).isEqualTo("Be brief.");

    int openAiCalls = openAiUpstream.received.size();
    var estimated = anthropic.messages().withRawResponse().countTokens(count.model("gpt-4o").build());
    assertThat(estimated.parse().inputTokens()).isBetween(5L, 30L);
    assertThat(estimated.headers().values("x-junction-token-count")).containsExactly("estimate");
    assertThat(openAiUpstream.received).hasSize(openAiCalls);
  }

  @Test
  void upstreamErrorsReachTheAnthropicClientInItsShape() {
    anthropicUpstream.enqueue(Reply.error(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum"));
    assertThatThrownBy(() -> anthropic.messages().create(ask("claude-sonnet-4-5").build()))
        .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.apiMessage()).contains("prompt is too long: 250000 tokens > 200000 maximum");
        });
    assertThatThrownBy(() -> anthropic.messages().create(ask("no-such-model").build()))
        .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void invalidRequestsGetA400InAnthropicShape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
        .header("x-api-key", TestGateway.MASTER_KEY).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    var body = Json.parse(r.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.at("/error/message").asText()).contains("max_tokens");
  }
}
