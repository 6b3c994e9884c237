package io.junction.cache;

import static io.junction.cache.CacheHttp.chat;
import static io.junction.cache.CacheHttp.header;
import static io.junction.cache.CacheHttp.json;
import static io.junction.cache.CacheHttp.ask;
import static io.junction.cache.CacheHttp.post;
import static io.junction.cache.CacheHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response cache in memory, end to end: a gateway with {@code cache:} over a mock OpenAI
 * upstream whose received calls are counted. Each test asks its own prompt, so tests never hit
 * each other's entries.
 */
class ResponseCacheTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = CacheHttp.gateway("""
        cache: {ttl_seconds: 600, max_entries: 100, max_entry_bytes: 65536}
        providers:
          - {name: openai, type: openai, base_url: "%s", api_keys: [%s], models: [gpt-4o, text-embedding-3-small], responses_api: false}
        """.formatted(upstream.baseUrl(), MockOpenAiServer.KEY));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  static String prompt() { return "prompt " + UUID.randomUUID(); }

  /** Chat calls that reached the upstream. */
  static long upstreamCalls() { return upstream.received.stream().filter(r -> r.path().endsWith("/chat/completions")).count(); }

  @Test
  void aRepeatedCallIsAnsweredFromTheCacheByteForByte() {
    String body = chat(prompt(), false);
    long before = upstreamCalls();
    HttpResponse<byte[]> miss = ask(gateway, body);
    HttpResponse<byte[]> hit = ask(gateway, body);
    assertThat(upstreamCalls() - before).as("the upstream answered once").isEqualTo(1);
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(header(miss, "x-junction-cache")).isEqualTo("miss");
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(header(hit, "content-type")).isEqualTo(header(miss, "content-type"));
    assertThat(header(hit, "x-junction-provider")).isEqualTo("openai"); // who produced the answer
    assertThat(header(miss, "x-junction-attempts")).isEqualTo("1");
    assertThat(header(hit, "x-junction-attempts")).isEqualTo("0");
    assertThat(header(hit, "x-request-id")).isNotEqualTo(header(miss, "x-request-id"));
  }

  @Test
  void embeddingsAreCachedToo() {
    String body = "{\"model\":\"text-embedding-3-small\",\"input\":\"" + prompt() + "\"}";
    long before = upstream.received.size();
    HttpResponse<byte[]> miss = post(gateway, "/v1/embeddings", TestGateway.MASTER_KEY, body);
    HttpResponse<byte[]> hit = post(gateway, "/v1/embeddings", TestGateway.MASTER_KEY, body);
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(upstream.received.size() - before).isEqualTo(1);
  }

  @Test
  void keyOrderAndWhitespaceDoNotMakeAnotherRequest() {
    String p = prompt();
    long before = upstreamCalls();
    ask(gateway, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + p + "\"}],\"temperature\":0}");
    HttpResponse<byte[]> again = ask(gateway,
        "{\n  \"temperature\": 0,\n  \"messages\": [ { \"content\": \"" + p + "\", \"role\": \"user\" } ],\n  \"model\": \"gpt-4o\"\n}");
    assertThat(header(again, "x-junction-cache")).isEqualTo("hit");
    assertThat(upstreamCalls() - before).isEqualTo(1);
    HttpResponse<byte[]> other = ask(gateway,
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + p + "\"}],\"temperature\":1}");
    assertThat(header(other, "x-junction-cache")).as("another value is another request").isEqualTo("miss");
  }

  @Test
  void aStreamIsRecordedAndReplayedAsTheSameStream() {
    String body = chat(prompt(), true);
    long before = upstreamCalls();
    HttpResponse<byte[]> miss = ask(gateway, body);
    HttpResponse<byte[]> hit = ask(gateway, body);
    assertThat(upstreamCalls() - before).isEqualTo(1);
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(header(hit, "content-type")).startsWith("text/event-stream").isEqualTo(header(miss, "content-type"));
    assertThat(header(hit, "transfer-encoding")).isEqualTo("chunked");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(text(hit)).contains("Hello").endsWith("data: [DONE]\n\n");
  }

  @Test
  void theOpenAiSdkParsesAReplayedStream() {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage(prompt()).build();
    long before = upstreamCalls();
    for (int i = 0; i < 2; i++) {
      StringBuilder text = new StringBuilder();
      try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
        s.stream().forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
      }
      assertThat(text.toString()).as("call %d", i + 1).isEqualTo("Hello from mock");
    }
    assertThat(upstreamCalls() - before).isEqualTo(1);
  }

  @Test
  void aTranslatedStreamReplaysToTheAnthropicSdk() {
    String p = prompt();
    String body = "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + p + "\"}]}";
    long before = upstreamCalls();
    HttpResponse<byte[]> miss = post(gateway, "/v1/messages", TestGateway.MASTER_KEY, body);
    HttpResponse<byte[]> hit = post(gateway, "/v1/messages", TestGateway.MASTER_KEY, body);
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(text(hit)).contains("event: message_stop");

    AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url()).maxRetries(0).build();
    MessageCreateParams params = MessageCreateParams.builder().model("gpt-4o").maxTokens(100).addUserMessage(p + " sdk").build();
    for (int i = 0; i < 2; i++) {
      MessageAccumulator acc = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
        s.stream().forEach(acc::accumulate);
      }
      assertThat(acc.message().content().get(0).asText().text()).as("call %d", i + 1).isEqualTo("Hello from mock");
    }
    assertThat(upstreamCalls() - before).isEqualTo(2);
  }

  @Test
  void noStoreNeitherServesNorStores() {
    String body = chat(prompt(), false);
    long before = upstreamCalls();
    HttpResponse<byte[]> bypass = ask(gateway, body, "cache-control", "no-store");
    assertThat(bypass.statusCode()).isEqualTo(200);
    assertThat(header(bypass, "x-junction-cache")).isNull();
    assertThat(header(ask(gateway, body), "x-junction-cache")).as("nothing was stored").isEqualTo("miss");
    assertThat(header(ask(gateway, body, "Cache-Control", "max-age=0, NO-STORE"), "x-junction-cache"))
        .as("a stored answer is not served either").isNull();
    assertThat(upstreamCalls() - before).isEqualTo(3);
    assertThat(header(ask(gateway, body), "x-junction-cache")).isEqualTo("hit");
  }

  @Test
  void noCacheFetchesAFreshAnswerAndStoresIt() {
    String body = chat(prompt(), false);
    upstream.enqueue(Reply.text("first answer"));
    assertThat(text(ask(gateway, body))).contains("first answer");
    upstream.enqueue(Reply.text("second answer"));
    HttpResponse<byte[]> fresh = ask(gateway, body, "cache-control", "no-cache");
    assertThat(header(fresh, "x-junction-cache")).isEqualTo("miss");
    assertThat(text(fresh)).contains("second answer");
    HttpResponse<byte[]> hit = ask(gateway, body);
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(text(hit)).contains("second answer");
  }

  @Test
  void errorsAreNeverStored() {
    String body = chat(prompt(), false);
    long before = upstreamCalls();
    upstream.enqueue(Reply.error(400, "Bad request from upstream"));
    assertThat(ask(gateway, body).statusCode()).isEqualTo(400);
    for (int i = 0; i <= ProviderConfig.DEFAULT_MAX_RETRIES; i++) upstream.enqueue(Reply.error(500, "Upstream fell over"));
    assertThat(ask(gateway, body).statusCode()).isEqualTo(500);
    HttpResponse<byte[]> ok = ask(gateway, body);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(header(ok, "x-junction-cache")).isEqualTo("miss");
    assertThat(upstreamCalls() - before).isEqualTo(2 + ProviderConfig.DEFAULT_MAX_RETRIES + 1);
    assertThat(header(ask(gateway, body), "x-junction-cache")).isEqualTo("hit");
  }

  @Test
  void aStreamCutShortIsNotStored() {
    String body = chat(prompt(), true);
    long before = upstreamCalls();
    upstream.enqueue(Reply.mode(Reply.Mode.CUT_MID_STREAM));
    HttpResponse<byte[]> cut = ask(gateway, body);
    assertThat(text(cut)).doesNotContain("[DONE]");
    HttpResponse<byte[]> next = ask(gateway, body);
    assertThat(header(next, "x-junction-cache")).isEqualTo("miss");
    assertThat(text(next)).endsWith("data: [DONE]\n\n");
    assertThat(upstreamCalls() - before).isEqualTo(2);
  }

  @Test
  void anAnswerOverTheEntryLimitIsNotStored() {
    String body = chat(prompt(), false);
    long before = upstreamCalls();
    upstream.enqueue(Reply.text("x".repeat(70_000))); // over max_entry_bytes: 65536
    assertThat(ask(gateway, body).statusCode()).isEqualTo(200);
    assertThat(header(ask(gateway, body), "x-junction-cache")).isEqualTo("miss");
    assertThat(upstreamCalls() - before).isEqualTo(2);
  }

  @Test
  void virtualKeysDoNotShareAnswers() {
    String a = CacheHttp.virtualKey(gateway, "tenant-a");
    String b = CacheHttp.virtualKey(gateway, "tenant-b");
    String body = chat(prompt(), false);
    long before = upstreamCalls();
    assertThat(header(post(gateway, "/v1/chat/completions", a, body), "x-junction-cache")).isEqualTo("miss");
    assertThat(header(post(gateway, "/v1/chat/completions", b, body), "x-junction-cache")).isEqualTo("miss");
    assertThat(header(post(gateway, "/v1/chat/completions", a, body), "x-junction-cache")).isEqualTo("hit");
    assertThat(header(post(gateway, "/v1/chat/completions", b, body), "x-junction-cache")).isEqualTo("hit");
    assertThat(header(ask(gateway, body), "x-junction-cache")).as("nor does the master key").isEqualTo("miss");
    assertThat(upstreamCalls() - before).isEqualTo(3);
  }

  @Test
  void storedResponsesCallsAreNotCachedButStatelessOnesAre() {
    String p = prompt();
    long before = upstreamCalls();
    String stored = "{\"model\":\"gpt-4o\",\"input\":\"" + p + "\"}";
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = post(gateway, "/v1/responses", TestGateway.MASTER_KEY, stored);
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      assertThat(header(r, "x-junction-cache")).isNull();
    }
    String stateless = "{\"model\":\"gpt-4o\",\"store\":false,\"input\":\"" + p + "\"}";
    HttpResponse<byte[]> miss = post(gateway, "/v1/responses", TestGateway.MASTER_KEY, stateless);
    HttpResponse<byte[]> hit = post(gateway, "/v1/responses", TestGateway.MASTER_KEY, stateless);
    assertThat(header(hit, "x-junction-cache")).isEqualTo("hit");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(upstreamCalls() - before).isEqualTo(3);
  }

  @Test
  void aHitIsLoggedUnderTheCacheAtNoCostAndCounted() {
    double hitsBefore = CacheHttp.metric(gateway, "junction_cache_requests_total{result=\"hit\"}");
    double missesBefore = CacheHttp.metric(gateway, "junction_cache_requests_total{result=\"miss\"}");
    String body = chat(prompt(), false);
    String missId = "miss-" + UUID.randomUUID();
    String hitId = "hit-" + UUID.randomUUID();
    ask(gateway, body, "x-request-id", missId);
    assertThat(header(ask(gateway, body, "x-request-id", hitId), "x-junction-cache")).isEqualTo("hit");

    assertThat(CacheHttp.metric(gateway, "junction_cache_requests_total{result=\"hit\"}") - hitsBefore).isEqualTo(1);
    assertThat(CacheHttp.metric(gateway, "junction_cache_requests_total{result=\"miss\"}") - missesBefore).isEqualTo(1);

    JsonNode[] rows = new JsonNode[2];
    io.junction.testing.GatewayHttp.await("both log rows", () -> {
      for (JsonNode row : json(CacheHttp.get(gateway, "/api/v1/logs?limit=200")).path("data")) {
        if (row.path("request_id").asText().equals(missId)) rows[0] = row;
        if (row.path("request_id").asText().equals(hitId)) rows[1] = row;
      }
      return rows[0] != null && rows[1] != null;
    });
    JsonNode missRow = rows[0];
    JsonNode hitRow = rows[1];
    assertThat(missRow.path("provider").asText()).isEqualTo("openai");
    assertThat(missRow.path("cost_usd").asDouble()).isPositive();
    assertThat(hitRow.path("provider").asText()).isEqualTo("cache");
    assertThat(hitRow.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(hitRow.path("status").asInt()).isEqualTo(200);
    assertThat(hitRow.path("attempts").asInt()).isZero();
    assertThat(hitRow.path("input_tokens").asLong()).isZero();
    assertThat(hitRow.path("output_tokens").asLong()).isZero();
    assertThat(hitRow.path("cost_usd").asDouble()).isZero();
    assertThat(hitRow.path("error").isNull()).isTrue();
  }
}
