package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every OpenAI-compatible preset, one request each through the gateway to the OpenAI-compatible
 * mock, which runs on the preset's own path (the mock's origin replaces only the host): the URL,
 * the auth header, the preset's headers, the model name and the fields the service refuses are
 * checked on what arrived.
 */
class PresetRequestTest {
  /** A model per preset where the preset's quirks apply to it; others use a plain name. */
  private static final Map<String, String> MODELS = Map.of(
      "xai", "grok-4-fast-reasoning",
      "deepseek", "deepseek-reasoner",
      "fireworks", "llama-v3p3-70b-instruct",
      "github", "openai/gpt-4.1",
      "huggingface", "openai/gpt-oss-120b:cerebras");

  private static Vertx vertx;
  private static MockOpenAiServer mock;
  private static TestGateway gateway;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Stream<Preset> openAiPresets() {
    return Presets.all().stream().filter(p -> p.type().equals("openai") && p.baseUrl() != null);
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mock = new MockOpenAiServer(vertx);
    List<ProviderConfig> providers = openAiPresets().map(p -> new ProviderConfig(p.name(), "openai", p.name(),
        "http://127.0.0.1:" + mock.port() + URI.create(p.baseUrl()).getRawPath(), List.of(MockOpenAiServer.KEY),
        DispatchMode.POOLED, 1, List.of(), 30_000, 5_000, 30_000, 30_000, 0, Map.of(), true, Map.of())).toList();
    gateway = TestGateway.withProviders(providers.toArray(ProviderConfig[]::new));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (mock != null) mock.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("openAiPresets")
  void requestArrivesAsTheServiceWantsIt(Preset preset) throws Exception {
    String model = MODELS.getOrDefault(preset.name(), "some-model");
    String body = """
        {"model":"%s/%s","messages":[{"role":"user","content":"hi"}],
         "temperature":0.5,"presence_penalty":0.1,"frequency_penalty":0.2,"stop":["END"],
         "logprobs":true,"top_logprobs":2,"reasoning_effort":"low"}""".formatted(preset.name(), model);
    HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    assertThat(Json.parse(resp.body()).path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("Hello from mock");
    assertThat(resp.headers().firstValue("x-junction-provider")).contains(preset.name());

    MockOpenAiServer.Received got = mock.received.stream()
        .filter(r -> r.body() != null && r.body().path("model").asText().endsWith(model.substring(model.lastIndexOf('/') + 1)))
        .reduce((a, b) -> b).orElseThrow();
    String path = URI.create(preset.baseUrl()).getRawPath();
    assertThat(got.path()).isEqualTo(path + "/chat/completions");
    assertThat(got.headers().get("authorization")).isEqualTo("Bearer " + MockOpenAiServer.KEY);
    preset.headers().forEach((name, value) -> assertThat(got.headers().get(name)).as(name).isEqualTo(value));

    JsonNode sent = got.body();
    assertThat(sent.path("model").asText()).isEqualTo(preset.upstreamModel(model));
    List<String> dropped = preset.droppedFor(model);
    for (String field : List.of("presence_penalty", "frequency_penalty", "stop", "logprobs", "top_logprobs", "reasoning_effort")) {
      assertThat(sent.has(field)).as(field + " sent to " + preset.name()).isEqualTo(!dropped.contains(field));
    }
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("openAiPresets")
  void quirksAreThoseTheDocsName(Preset preset) {
    switch (preset.name()) {
      case "xai" -> assertThat(preset.droppedFor("grok-4-0709")).contains("presence_penalty", "reasoning_effort");
      case "deepseek" -> assertThat(preset.droppedFor("deepseek-reasoner")).containsExactly("logprobs", "top_logprobs");
      case "fireworks" -> assertThat(preset.upstreamModel("deepseek-v3")).isEqualTo("accounts/fireworks/models/deepseek-v3");
      case "github" -> assertThat(preset.modelsUrl()).isEqualTo("https://models.github.ai/catalog/models");
      default -> assertThat(preset.droppedFor("any-model")).isEmpty();
    }
  }
}
