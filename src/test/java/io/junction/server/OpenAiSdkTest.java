package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK against Junction, which forwards to a mock OpenAI upstream. */
class OpenAiSdkTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "fast=gpt-4o-mini")));
    client = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  @BeforeEach
  void clear() { upstream.received.clear(); }

  private static ChatCompletionCreateParams.Builder chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
  }

  @Test
  void chatCompletionIsRelayedWithUsageAndHeaders() {
    var raw = client.chat().completions().withRawResponse().create(chat("gpt-4o").build());
    ChatCompletion c = raw.parse();
    assertThat(c.choices().get(0).message().content()).contains("Hello from mock");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(5);
    assertThat(raw.headers().values("x-junction-provider")).containsExactly("openai");
    assertThat(raw.headers().values("x-junction-attempts")).containsExactly("1");
    assertThat(raw.headers().values("x-request-id")).hasSize(1);
    // Upstream got the provider's own key, never the client's.
    assertThat(upstream.last().headers().get("authorization")).isEqualTo("Bearer " + MockOpenAiServer.KEY);
  }

  @Test
  void unknownFieldsAndAliasesReachTheUpstream() {
    client.chat().completions().create(chat("fast")
        .putAdditionalBodyProperty("x_custom_field", JsonValue.from(Map.of("a", 1))).build());
    var body = upstream.last().body();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("x_custom_field").path("a").asInt()).isEqualTo(1);
  }

  @Test
  void explicitProviderPrefixSelectsTheProvider() {
    client.chat().completions().create(chat("openai/some-new-model").build());
    assertThat(upstream.last().body().path("model").asText()).isEqualTo("some-new-model");
    client.chat().completions().create(chat("openai:other-model").build());
    assertThat(upstream.last().body().path("model").asText()).isEqualTo("other-model");
  }

  @Test
  void streamWithIncludeUsageEndsWithUsageChunk() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("gpt-4o")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.forEach(ch -> ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    assertThat(text.toString()).isEqualTo("Hello from mock");
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(17);
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunkButUpstreamWasAskedForUsage() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("gpt-4o").build())) {
      s.stream().forEach(chunks::add);
    }
    assertThat(chunks).isNotEmpty().allSatisfy(ch -> assertThat(ch.usage()).isEmpty());
    assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isPresent();
    assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void toolCallRoundTrip() {
    ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather").description("Weather for a city")
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
        .build()).build();
    ChatCompletion first = client.chat().completions().create(chat("gpt-4o").addTool(tool).build());
    ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
    assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");

    ChatCompletion second = client.chat().completions().create(chat("gpt-4o").addTool(tool)
        .addMessage(first.choices().get(0).message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id()).content("sunny").build())
        .build());
    assertThat(second.choices().get(0).message().content()).contains("Hello from mock");
    var sentMessages = upstream.last().body().path("messages");
    assertThat(sentMessages.get(sentMessages.size() - 1).path("role").asText()).isEqualTo("tool");
  }

  @Test
  void streamedToolCallArgumentsArriveInPieces() {
    ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather").parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
        .build()).build();
    StringBuilder args = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("gpt-4o").addTool(tool).build())) {
      s.stream().forEach(ch -> ch.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls ->
          calls.forEach(tc -> tc.function().flatMap(f -> f.arguments()).ifPresent(args::append)))));
    }
    assertThat(args.toString()).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void embeddingsAndModels() {
    CreateEmbeddingResponse e = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("hello").build());
    assertThat(e.data().get(0).embedding()).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(e.usage().promptTokens()).isEqualTo(4);
    List<String> ids = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> ids.add(m.id()));
    assertThat(ids).contains("gpt-4o", "gpt-4o-mini", "fast");
  }

  @Test
  void unknownModelIs404ModelNotFound() {
    assertThatThrownBy(() -> client.chat().completions().create(chat("no-such-model").build()))
        .isInstanceOfSatisfying(NotFoundException.class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(404);
          assertThat(ex.code()).contains("model_not_found");
        });
  }

  @Test
  void wrongKeyIs401() {
    OpenAIClient bad = OpenAIOkHttpClient.builder().apiKey("wrong").baseUrl(gateway.url() + "/v1").maxRetries(0).build();
    assertThatThrownBy(() -> bad.chat().completions().create(chat("gpt-4o").build()))
        .isInstanceOf(UnauthorizedException.class);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void upstream400IsPassedThroughAsIs() {
    upstream.enqueue(Reply.error(400, "Invalid value for temperature"));
    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o").build()))
        .isInstanceOfSatisfying(BadRequestException.class, ex -> assertThat(ex.getMessage()).contains("Invalid value for temperature"));
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void upstream500IsRetriedThenReturned() {
    upstream.enqueue(Reply.error(500, "boom"), Reply.error(500, "boom"), Reply.error(503, "still down"));
    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(503);
          assertThat(ex.headers().values("x-junction-attempts")).containsExactly("3");
        });
  }

  @Test
  void upstream429RetryAfterIsRelayed() {
    // Above the gateway's Retry-After cap (10 s) it does not wait: the only candidate's 429 is relayed.
    upstream.enqueue(Reply.rateLimited(120));
    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o").build()))
        .isInstanceOfSatisfying(RateLimitException.class, ex -> {
          assertThat(ex.headers().values("retry-after")).containsExactly("120");
          assertThat(ex.headers().values("x-junction-attempts")).containsExactly("1");
        });
  }

  @Test
  void transientFailureIsAbsorbed() {
    upstream.enqueue(Reply.error(502, "flaky"));
    ChatCompletion c = client.chat().completions().create(chat("gpt-4o").build());
    assertThat(c.choices().get(0).message().content()).contains("Hello from mock");
    assertThat(upstream.received).hasSize(2);
  }

  @Test
  void upstreamGarbageIsA502() {
    upstream.enqueue(Reply.mode(Reply.Mode.GARBAGE), Reply.mode(Reply.Mode.GARBAGE), Reply.mode(Reply.Mode.GARBAGE));
    // Same protocol: the body is relayed as-is, so garbage from upstream must not look like success.
    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o").build()))
        .isInstanceOf(OpenAIServiceException.class);
  }
}
