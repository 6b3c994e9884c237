package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ListModelsConfig;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.core.JsonValue;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockGeminiServer;
import io.junction.testing.MockGeminiServer.Reply;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official google-genai Java SDK against Junction, served by a mock Gemini upstream (same
 * protocol) and a mock OpenAI upstream (translated); and the openai-java SDK served by Gemini.
 */
class GeminiSdkTest {
  static final String GEMINI_KEY = "AIza-mock-upstream";
  static Vertx vertx;
  static MockGeminiServer geminiUpstream;
  static MockOpenAiServer openAiUpstream;
  static TestGateway gateway;
  static Client genai;
  static OpenAIClient openai;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    geminiUpstream = MockGeminiServer.start(vertx, GEMINI_KEY, "gemini-2.5-flash").await();
    openAiUpstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("google", "gemini", geminiUpstream.baseUrl(), List.of(GEMINI_KEY), List.of("gemini-2.5-flash")),
        ProviderConfig.simple("openai", "openai", openAiUpstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")),
        ProviderConfig.simple("google-pool", "gemini", geminiUpstream.baseUrl(), List.of("AIza-revoked", GEMINI_KEY),
            List.of("pooled-flash=gemini-2.5-flash")));
    genai = Client.builder().apiKey(TestGateway.MASTER_KEY)
        .httpOptions(HttpOptions.builder().baseUrl(gateway.url()).build()).build();
    openai = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    geminiUpstream.close().await();
    openAiUpstream.close();
    vertx.close().await();
  }

  private static String streamedText(String model, GenerateContentConfig config) {
    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream = genai.models.generateContentStream(model, Content.fromParts(Part.fromText("Hello")), config)) {
      for (GenerateContentResponse chunk : stream) if (chunk.text() != null) text.append(chunk.text());
    }
    return text.toString();
  }

  @Test
  void geminiClientToGeminiUpstream() {
    geminiUpstream.reply(Reply.text("Hi from Gemini"));
    GenerateContentResponse r = genai.models.generateContent("gemini-2.5-flash", "Hello", null);
    assertThat(r.text()).isEqualTo("Hi from Gemini");
    assertThat(r.usageMetadata().orElseThrow().totalTokenCount()).contains(8);
    MockGeminiServer.Received sent = geminiUpstream.requests().get(geminiUpstream.requests().size() - 1);
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void aKeyGeminiCallsInvalidIsTakenOutAndTheNextKeyServes() {
    int before = geminiUpstream.requests().size();
    GenerateContentResponse r = genai.models.generateContent("pooled-flash", "Hello", null);
    assertThat(r.text()).isNotBlank();
    var sent = geminiUpstream.requests().subList(before, geminiUpstream.requests().size());
    assertThat(sent).extracting(q -> q.headers().get("x-goog-api-key")).containsExactly("AIza-revoked", GEMINI_KEY);
    var keys = gateway.junction.gateway().resolver().health().provider("google-pool").path("keys");
    assertThat(keys.get(0).path("state").asText()).isEqualTo("revoked");
    assertThat(keys.get(1).path("state").asText()).isEqualTo("active");
  }

  @Test
  void geminiClientStreamsFromGeminiUpstream() {
    geminiUpstream.reply(Reply.stream(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}",
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5}}"));
    assertThat(streamedText("gemini-2.5-flash", null)).isEqualTo("Hello!");
    assertThat(geminiUpstream.requests().get(geminiUpstream.requests().size() - 1).query()).isEqualTo("alt=sse");
  }

  @Test
  void geminiClientServedByOpenAi() {
    GenerateContentResponse r = genai.models.generateContent("gpt-4o", "Hello",
        GenerateContentConfig.builder().systemInstruction(Content.fromParts(Part.fromText("Be brief."))).maxOutputTokens(50).build());
    assertThat(r.text()).contains("Hello from mock");
    assertThat(r.usageMetadata().orElseThrow().promptTokenCount().orElseThrow()).isPositive();
    var sent = openAiUpstream.last().body();
    assertThat(sent.get("messages").get(0).get("role").asText()).isIn("system", "developer");
    assertThat(sent.get("messages").get(1).get("content").toString()).contains("Hello");
  }

  @Test
  void geminiClientStreamsFromOpenAi() {
    assertThat(streamedText("gpt-4o", null)).contains("Hello from mock");
  }

  @Test
  void aStreamedChatKeepsItsCuratedHistory() {
    var chat = genai.chats.create("gpt-4o");
    for (String question : List.of("Hello", "And again")) {
      try (ResponseStream<GenerateContentResponse> stream = chat.sendMessageStream(question)) {
        stream.forEach(chunk -> { });
      }
    }
    // The SDK records each streamed chunk as its own model content; the final chunk (finishReason
    // and usage, no content) must not make it drop the turn from the curated history.
    List<String> turns = new ArrayList<>();
    StringBuilder lastAnswer = new StringBuilder();
    for (Content c : chat.getHistory(true)) {
      String role = c.role().orElseThrow();
      if (turns.isEmpty() || !turns.get(turns.size() - 1).equals(role)) {
        turns.add(role);
        lastAnswer.setLength(0);
      }
      if (role.equals("model")) lastAnswer.append(c.text());
    }
    assertThat(turns).containsExactly("user", "model", "user", "model");
    assertThat(lastAnswer.toString()).contains("Hello from mock");
  }

  @Test
  void geminiClientGetsToolCallsWithArgs() {
    geminiUpstream.reply(Reply.json("""
        {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}],"role":"model"},
          "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":5,"totalTokenCount":25}}"""));
    Tool weather = Tool.builder().functionDeclarations(FunctionDeclaration.builder().name("get_weather").description("Weather for a city")
        .parameters(Schema.builder().type(Type.Known.OBJECT).properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build())).build())
        .build()).build();
    GenerateContentResponse r = genai.models.generateContent("gemini-2.5-flash", "Weather in Paris?",
        GenerateContentConfig.builder().tools(weather).build());
    FunctionCall call = r.functionCalls().get(0);
    assertThat(call.name()).contains("get_weather");
    assertThat(call.args().orElseThrow()).isEqualTo(Map.of("city", "Paris"));
  }

  @Test
  void openAiClientServedByGeminiGetsToolCalls() {
    geminiUpstream.reply(Reply.json("""
        {"candidates":[{"content":{"parts":[{"text":"Checking."},{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}],"role":"model"},
          "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":5,"totalTokenCount":25}}"""));
    ChatCompletion c = openai.chat().completions().create(ChatCompletionCreateParams.builder().model("gemini-2.5-flash")
        .addUserMessage("Weather in Rome?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build()).build()).build())
        .build());
    var choice = c.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    var call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Rome\"}");
    assertThat(call.id()).startsWith("call_");
    var sent = geminiUpstream.requests().get(geminiUpstream.requests().size() - 1).body();
    assertThat(sent.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("get_weather");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(20);
  }

  @Test
  void countTokensAsksTheGeminiUpstream() {
    var r = genai.models.countTokens("gemini-2.5-flash", List.of(Content.fromParts(Part.fromText("How many tokens is this?"))), null);
    assertThat(r.totalTokens().orElseThrow()).isPositive();
    var sent = geminiUpstream.requests().get(geminiUpstream.requests().size() - 1);
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
    assertThat(sent.body().at("/generateContentRequest/contents/0/parts/0/text").asText()).isEqualTo("How many tokens is this?");
  }

  @Test
  void countTokensIsEstimatedWhenTheProviderHasNoCountEndpoint() {
    int openAiCalls = openAiUpstream.received.size();
    var r = genai.models.countTokens("gpt-4o", List.of(Content.fromParts(Part.fromText("How many tokens is this?"))), null);
    assertThat(r.totalTokens().orElseThrow()).isBetween(5, 30);
    assertThat(openAiUpstream.received).hasSize(openAiCalls);
  }

  @Test
  void listsModelsInGeminiShape() {
    List<String> names = new ArrayList<>();
    for (Model m : genai.models.list(ListModelsConfig.builder().build())) names.add(m.name().orElseThrow());
    assertThat(names).contains("models/gemini-2.5-flash", "models/gpt-4o");
  }

  @Test
  void unknownModelIsA404InGeminiShape() {
    assertThatThrownBy(() -> genai.models.generateContent("no-such-model-xyz", "Hello", null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.status()).isEqualTo("NOT_FOUND");
        });
  }

  @Test
  void invalidRequestIsA400NamingTheFieldWhenTranslated() throws Exception {
    // To gpt-4o the Gemini body must be decoded, so the gateway judges it; to a Gemini upstream it
    // would be relayed and judged there (see sameProtocolInvalidRequestGetsTheUpstreamsVerdict).
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.url() + "/v1beta/models/gpt-4o:generateContent"))
        .header("x-goog-api-key", TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"bot\",\"parts\":[{\"text\":\"hi\"}]}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"status\":\"INVALID_ARGUMENT\"").contains("contents[0].role");
  }

  @Test
  void sameProtocolInvalidRequestGetsTheUpstreamsVerdict() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.url() + "/v1beta/models/gemini-2.5-flash:generateContent"))
        .header("x-goog-api-key", TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"bot\",\"parts\":[{\"text\":\"hi\"}]}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"status\":\"INVALID_ARGUMENT\"").contains("valid role");
    assertThat(r.headers().firstValue("x-junction-provider")).hasValue("google");
  }

  @Test
  void theV1PathTakesAProviderQualifiedModel() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.url() + "/v1/models/openai/gpt-4o:generateContent?key=" + TestGateway.MASTER_KEY))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-junction-provider")).contains("openai");
    assertThat(io.junction.protocol.Json.parse(r.body()).at("/candidates/0/content/parts/0/text").asText()).contains("Hello from mock");
  }

  @Test
  void withoutAltSseTheStreamIsAJsonArray() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.url() + "/v1beta/models/gpt-4o:streamGenerateContent"))
        .header("x-goog-api-key", TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    var array = io.junction.protocol.Json.parse(r.body());
    assertThat(array.isArray()).isTrue();
    assertThat(array.get(array.size() - 1).at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }
}
