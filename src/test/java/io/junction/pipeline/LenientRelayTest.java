package io.junction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.RawUpstream;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same-protocol requests are relayed, not re-validated (CONTRACT §8): what the gateway does not
 * model — Anthropic document blocks and server tools, Claude Code's mid-conversation system
 * messages, OpenAI input_audio parts, beta fields — reaches the upstream byte for byte but for the
 * model name, and Anthropic's version and beta headers go along.
 */
class LenientRelayTest {
  static final Path FIXTURES = Path.of("..", "shared", "fixtures");
  static final String ANTHROPIC_ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}";
  static final String OPENAI_ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";

  static final String ANTHROPIC_STREAM = String.join("\n\n",
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":2}}",
      "event: message_stop\ndata: {\"type\":\"message_stop\"}", "");

  static Vertx vertx;
  static RawUpstream anthropic;
  static RawUpstream openai;
  static TestGateway gateway;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    anthropic = new RawUpstream(vertx, (req, body) -> {
      boolean stream = Json.parseUpstream(body).path("stream").asBoolean();
      req.response().putHeader("content-type", stream ? "text/event-stream" : "application/json")
          .end(stream ? ANTHROPIC_STREAM : ANTHROPIC_ANSWER);
    });
    openai = new RawUpstream(vertx, RawUpstream.json(200, OPENAI_ANSWER));
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("anthropic", "anthropic", anthropic.url(), List.of("sk-ant-upstream-key-0000"), List.of("claude-*", "cc=claude-sonnet-4-5")),
        ProviderConfig.simple("openai", "openai", openai.url() + "/v1", List.of("sk-openai-upstream"), List.of("gpt-4o")));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    openai.close();
    vertx.close();
  }

  static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json").header("x-api-key", TestGateway.MASTER_KEY);
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void claudeCodesRealRequestReachesAnthropicUntouchedButForTheModel() throws Exception {
    String captured = Files.readString(FIXTURES.resolve("claude-code-2.1.197-gpt-4o-request.json"));
    JsonNode capturedHeaders = Json.parse(Files.readString(FIXTURES.resolve("claude-code-2.1.197-gpt-4o-request.headers.json")));
    // The fixture asked for gpt-4o; here it goes to a Claude model through an alias, so only the model changes.
    String body = captured.replace("\"model\":\"gpt-4o\"", "\"model\":\"cc\"");
    assertThat(body).isNotEqualTo(captured);
    HttpResponse<String> r = post("/v1/messages", body, Map.of(
        "anthropic-version", capturedHeaders.path("anthropic-version").asText(),
        "anthropic-beta", capturedHeaders.path("anthropic-beta").asText()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(ANTHROPIC_STREAM).as("the stream relayed as it came");
    RawUpstream.Received got = anthropic.last();
    assertThat(got.body().toString()).isEqualTo(captured.replace("\"model\":\"gpt-4o\"", "\"model\":\"claude-sonnet-4-5\""));
    assertThat(got.headers().get("anthropic-beta")).isEqualTo(capturedHeaders.path("anthropic-beta").asText());
    assertThat(got.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(got.headers().get("x-api-key")).isEqualTo("sk-ant-upstream-key-0000");
    // The mid-conversation system message and the rest of what the gateway does not model went along.
    JsonNode sent = Json.parse(got.body().toString());
    assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("system");
    assertThat(sent.has("context_management")).isTrue();
  }

  @Test
  void documentBlocksAndServerToolsReachAnthropic() throws Exception {
    String body = """
        {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":[
          {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"citations":{"enabled":true}},
          {"type":"text","text":"summarise"}]}],
         "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}]}""";
    HttpResponse<String> r = post("/v1/messages", body, Map.of("anthropic-version", "2023-06-01"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).path("content").get(0).path("text").asText()).isEqualTo("ok");
    assertThat(anthropic.last().body().toString()).isEqualTo(body);
  }

  @Test
  void openAiInputAudioAndBetaFieldsReachOpenAi() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
        + "\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}],\"modalities\":[\"text\"],\"prediction\":{\"type\":\"content\",\"content\":\"x\"}}";
    HttpResponse<String> r = post("/v1/chat/completions", body, Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(openai.last().body().toString()).isEqualTo(body);
  }

  @Test
  void aTranslatedRequestCarriesNoClientOnlyHeaders() throws Exception {
    // An OpenAI client served by Anthropic: the body is translated, the adapter sets its own version.
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = post("/v1/chat/completions", body, Map.of("anthropic-beta", "should-not-pass"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(anthropic.last().headers().get("anthropic-beta")).isNull();
    JsonNode sent = Json.parse(anthropic.last().body().toString());
    assertThat(sent.path("messages").get(0).path("content").toString()).contains("hi");
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) names.add(it.next());
    return names;
  }

  static Buffer buffer(String s) { return Buffer.buffer(s); }
}
