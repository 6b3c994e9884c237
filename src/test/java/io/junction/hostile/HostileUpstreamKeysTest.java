package io.junction.hostile;

import static io.junction.hostile.Hostile.provider;
import static io.junction.testing.GatewayHttp.await;
import static io.junction.testing.GatewayHttp.chatBody;
import static io.junction.testing.GatewayHttp.master;
import static io.junction.testing.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.provider.AwsSigV4;
import io.junction.provider.Provider;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockGeminiServer;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream answers that look like key trouble but are about the request (a 403 for one model, a
 * 400 quoting the client's text): the key stays. The upstream's real verdict on a key takes it
 * out — and a re-probe brings it back once the upstream accepts it again.
 */
class HostileUpstreamKeysTest {
  static Vertx vertx;

  @BeforeAll
  static void start() { vertx = Vertx.vertx(); }

  @AfterAll
  static void stop() { vertx.close(); }

  @Test
  void aForbiddenModelDoesNotDisableTheProvider() {
    try (MockOpenAiServer openai = new MockOpenAiServer(vertx);
        TestGateway gw = TestGateway.withProviders(provider("openai", "openai", openai.baseUrl(), List.of(MockOpenAiServer.KEY),
            List.of("gpt-4o", "o1-pro"), Map.of()))) {
      openai.enqueue(MockOpenAiServer.Reply.error(403, "You are not allowed to sample from this model"));
      HttpResponse<String> denied = post(gw, "/v1/chat/completions", chatBody("o1-pro"), master());
      assertThat(denied.statusCode()).isEqualTo(403);
      HttpResponse<String> next = post(gw, "/v1/chat/completions", chatBody("gpt-4o"), master());
      assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    }
  }

  @Test
  void aClientTriggered400QuotingApiKeyInvalidDoesNotDisableTheProvider() {
    MockGeminiServer gemini = MockUpstreamBase.await(MockGeminiServer.start(vertx, "gk-1", "gemini-2.5-flash"));
    try (TestGateway gw = TestGateway.withProviders(provider("gemini", "gemini", gemini.baseUrl(), List.of("gk-1"), List.of("gemini-2.5-flash"), Map.of()))) {
      // Google quotes the offending value; the client chose it.
      gemini.reply(MockGeminiServer.Reply.error(400, "INVALID_ARGUMENT",
          "Invalid value at 'contents[0].parts[0].text' (API_KEY_INVALID): API key not valid. Please pass a valid API key."));
      assertThat(post(gw, "/v1/chat/completions", chatBody("gemini-2.5-flash"), master()).statusCode()).isEqualTo(400);
      HttpResponse<String> next = post(gw, "/v1/chat/completions", chatBody("gemini-2.5-flash"), master());
      assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    } finally {
      MockUpstreamBase.await(gemini.close());
    }
  }

  @Test
  void aRefusedKeyIsReprobedAndComesBackWhenAccepted() {
    MockGeminiServer gemini = MockUpstreamBase.await(MockGeminiServer.start(vertx, "gk-1", "gemini-2.5-flash"));
    try (TestGateway gw = TestGateway.withProviders(provider("gemini", "gemini", gemini.baseUrl(), List.of("gk-1"), List.of("gemini-2.5-flash"),
        Map.of(Provider.KEY_REPROBE_MS, "300")))) {
      // The upstream refuses the key once (a rotated key, a billing hiccup), then takes it again.
      gemini.reply(MockGeminiServer.Reply.badKey());
      assertThat(post(gw, "/v1/chat/completions", chatBody("gemini-2.5-flash"), master()).statusCode()).isEqualTo(400);
      HttpResponse<String> out = post(gw, "/v1/chat/completions", chatBody("gemini-2.5-flash"), master());
      assertThat(out.statusCode()).as("the refused key is out: " + out.body()).isEqualTo(503);
      await("the re-probed key to serve again",
          () -> post(gw, "/v1/chat/completions", chatBody("gemini-2.5-flash"), master()).statusCode() == 200);
      assertThat(gemini.requests()).anyMatch(r -> r.method() == io.vertx.core.http.HttpMethod.GET && r.path().equals("/v1beta/models"));
    } finally {
      MockUpstreamBase.await(gemini.close());
    }
  }

  private static io.junction.protocol.ChatResponse answer(String text) {
    io.junction.protocol.ChatResponse r = new io.junction.protocol.ChatResponse();
    r.content.add(new io.junction.protocol.Part.Text(text));
    r.usage = new io.junction.protocol.Usage(3, 2);
    return r;
  }

  @Test
  void bedrockAccessDeniedForOneModelKeepsTheKeyButBadCredentialsMoveToTheNextKey() {
    String good = "AKIDGOOD:secret-good";
    try (MockBedrockServer bedrock = MockBedrockServer.start(vertx, AwsSigV4.Credentials.parse(good), "us-east-1");
        TestGateway gw = TestGateway.withProviders(provider("bedrock", "bedrock", bedrock.baseUrl(), List.of("AKIDBAD:secret-bad", good),
            List.of("amazon.nova-pro-v1:0", "anthropic.claude-opus-4-v1:0"), Map.of("region", "us-east-1")))) {
      // The bad key is refused (UnrecognizedClientException); the pool's next key serves, and the bad one is out.
      bedrock.answer(answer("nova says hi"));
      HttpResponse<String> first = post(gw, "/v1/chat/completions", chatBody("amazon.nova-pro-v1:0"), master());
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(gw.junction.gateway().registry().snapshot().provider("bedrock").keys.states())
          .extracting(k -> k.state()).containsExactly("revoked", "active");
      // No access to one model: AccessDeniedException (403) goes to the client, the good key stays in.
      bedrock.error(403, "You don't have access to the model with the specified model ID.");
      assertThat(post(gw, "/v1/chat/completions", chatBody("anthropic.claude-opus-4-v1:0"), master()).statusCode()).isEqualTo(403);
      bedrock.answer(answer("still here"));
      HttpResponse<String> after = post(gw, "/v1/chat/completions", chatBody("amazon.nova-pro-v1:0"), master());
      assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }
  }
}
