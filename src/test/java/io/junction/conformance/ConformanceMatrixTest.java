package io.junction.conformance;

import static io.junction.conformance.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.junction.conformance.Fixtures.Answer;
import io.junction.conformance.Fixtures.Call;
import io.junction.conformance.Fixtures.ImageSeen;
import io.junction.conformance.Fixtures.Scenario;
import io.junction.conformance.Fixtures.WireRequest;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Usage;
import io.junction.routing.HealthRegistry;
import io.junction.testing.MockUpstreamBase;
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
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance matrix: every inbound protocol, through its official SDK, against every
 * upstream type (strict mocks speaking the real wire formats), streamed and not, for plain text,
 * a system prompt, a tool call round trip and an inline image. Each cell checks both ends: what
 * the client got (text, tool call, finish reason, usage) and what the upstream received (the
 * prompt, system prompt, tool definition, tool result and image in the provider's own fields).
 * One gateway and one mock per provider serve the whole class.
 */
class ConformanceMatrixTest {
  static Vertx vertx;
  static List<Upstream> upstreams;
  static TestGateway gateway;
  static List<InboundClient> clients;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstreams = List.of(new Upstream.OpenAi(vertx), new Upstream.Anthropic(vertx), new Upstream.Gemini(vertx),
        new Upstream.Cohere(vertx), new Upstream.Bedrock(vertx), new Upstream.OpenAiResponses(vertx));
    // Breakers off: the broken-stream cells fail each provider on purpose, and no later cell may be refused for that.
    gateway = TestGateway.withProviders(upstreams.stream()
        .map(u -> Upstream.withOptions(u.config(), Map.of(HealthRegistry.BREAKER_FAILURES, "0"))).toArray(ProviderConfig[]::new));
    clients = List.of(new InboundClient.OpenAi(gateway.url()), new InboundClient.Anthropic(gateway.url()), new InboundClient.Gemini(gateway.url()),
        new InboundClient.Responses(gateway.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstreams.forEach(Upstream::close);
    MockUpstreamBase.await(vertx.close());
  }

  @TestFactory
  Stream<DynamicNode> matrix() {
    return clients.stream().map(client -> dynamicContainer(client + " client", upstreams.stream().map(upstream ->
        dynamicContainer(client + " -> " + upstream, Stream.of(false, true).flatMap(stream -> Stream.of(Scenario.values())
            .map(scenario -> dynamicTest(scenario + (stream ? ", streamed" : ""), () -> cell(client, upstream, scenario, stream))))))));
  }

  private static void cell(InboundClient client, Upstream upstream, Scenario scenario, boolean stream) {
    int before = upstream.requestCount();
    upstream.streamed(stream);
    if (scenario == Scenario.TOOL_ROUND_TRIP) {
      upstream.scriptToolCall();
      upstream.scriptText(Fixtures.FINAL_ANSWER);
    } else {
      upstream.scriptText(Fixtures.ANSWER);
    }
    List<Answer> answers = client.run(upstream.clientModel(), scenario, stream);
    assertThat(upstream.requestCount() - before).as("upstream calls, no retries").isEqualTo(answers.size());

    WireRequest last = upstream.request(0);
    assertThat(last.model()).isEqualTo(upstream.upstreamModel);
    Answer finalAnswer = answers.get(answers.size() - 1);
    assertThat(finalAnswer.text()).isEqualTo(scenario == Scenario.TOOL_ROUND_TRIP ? Fixtures.FINAL_ANSWER : Fixtures.ANSWER);
    assertThat(finalAnswer.calls()).isEmpty();
    assertThat(finalAnswer.finishReason()).isEqualTo(client.finishWord(false));
    answers.forEach(a -> assertUsage(a, upstream.usage()));

    switch (scenario) {
      case PLAIN -> {
        assertThat(last.system()).isNull();
        assertThat(last.userTexts()).containsExactly(Fixtures.QUESTION);
        assertThat(last.tools()).isEmpty();
      }
      case SYSTEM_PROMPT -> {
        assertThat(last.system()).isEqualTo(Fixtures.SYSTEM_PROMPT);
        assertThat(last.userTexts()).containsExactly(Fixtures.QUESTION);
      }
      case IMAGE -> {
        assertThat(last.userTexts()).containsExactly(Fixtures.IMAGE_QUESTION);
        assertThat(last.images()).containsExactly(new ImageSeen("image/png", Fixtures.PNG_BASE64));
      }
      case TOOL_ROUND_TRIP -> toolRoundTrip(client, upstream, answers.get(0), upstream.request(1), last);
    }
  }

  private static void toolRoundTrip(InboundClient client, Upstream upstream, Answer toolCall, WireRequest first, WireRequest second) {
    assertThat(toolCall.calls()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo(Fixtures.TOOL_NAME);
      assertThat(c.arguments()).isEqualTo(json(Fixtures.TOOL_ARGUMENTS));
      // Ids survive translation where the upstream sends them; clients whose protocol needs ids get one anyway.
      if (upstream.callId() != null) assertThat(c.id()).isEqualTo(upstream.callId());
      else if (client.requiresCallIds()) assertThat(c.id()).isNotBlank();
    });
    assertThat(toolCall.finishReason()).isEqualTo(client.finishWord(true));

    for (WireRequest sent : List.of(first, second)) {
      assertThat(sent.tools()).singleElement().satisfies(t -> {
        assertThat(t.name()).isEqualTo(Fixtures.TOOL_NAME);
        assertThat(t.description()).isEqualTo(Fixtures.TOOL_DESCRIPTION);
        assertThat(t.schema()).isEqualTo(Fixtures.toolSchema());
      });
    }
    assertThat(first.assistantCalls()).isEmpty();
    assertThat(first.results()).isEmpty();
    // The history the client sent back reaches the upstream with the upstream's own call id.
    assertThat(second.userTexts()).containsExactly(Fixtures.QUESTION);
    assertThat(second.assistantCalls()).containsExactly(new Call(upstream.callId(), Fixtures.TOOL_NAME, json(Fixtures.TOOL_ARGUMENTS)));
    assertThat(second.results()).containsExactly(upstream.expectedResult());
  }

  private static void assertUsage(Answer a, Usage expected) {
    assertThat(a.inputTokens()).as("input tokens").isEqualTo(expected.inputTokens());
    assertThat(a.outputTokens()).as("output tokens").isEqualTo(expected.outputTokens());
  }

  /** Converse takes images only as bytes: an image URL is a 400 in the client's own shape that names the reason, and nothing goes upstream. */
  @TestFactory
  Stream<DynamicNode> imageUrlToBedrockIsRefused() {
    Upstream bedrock = upstreams.stream().filter(u -> u.name.equals("bedrock")).findFirst().orElseThrow();
    return clients.stream().map(client -> dynamicTest(client + " client", () -> {
      int before = bedrock.requestCount();
      assertThatThrownBy(() -> client.askWithImageUrl(bedrock.clientModel())).satisfies(e -> {
        assertThat(client.statusOf(e)).isEqualTo(400);
        assertThat(e.getMessage()).contains("Bedrock does not fetch images by URL");
      });
      assertThat(bedrock.requestCount()).isEqualTo(before);
    }));
  }

  /**
   * A translated answer carries one choice, so asking a provider of another protocol for several
   * (OpenAI {@code n}, Gemini {@code candidateCount}) is a 400 naming the field, not a silent drop.
   */
  @TestFactory
  Stream<DynamicNode> severalChoicesAcrossProtocolsAreRefused() {
    return clients.stream().filter(InboundClient::hasChoiceCount).map(client -> dynamicContainer(client + " client", upstreams.stream()
        .filter(upstream -> !upstream.name.equals(client.name))
        .map(upstream -> dynamicTest(client + " -> " + upstream, () -> {
          int before = upstream.requestCount();
          assertThatThrownBy(() -> client.askForTwoChoices(upstream.clientModel()))
              .satisfies(e -> {
                assertThat(client.statusOf(e)).isEqualTo(400);
                assertThat(e.getMessage()).contains("'n'");
              });
          assertThat(upstream.requestCount()).isEqualTo(before);
        }))));
  }

  /** A stream that ends before anything reached the client is retried: the client gets the next attempt's answer, not an empty 200. */
  @TestFactory
  Stream<DynamicNode> streamsEmptyBeforeTheFirstByteAreRetried() {
    return clients.stream().map(client -> dynamicContainer(client + " client", upstreams.stream().map(upstream ->
        dynamicTest(client + " <- empty " + upstream + " stream, then an answer", () -> {
          int before = upstream.requestCount();
          upstream.streamed(true);
          upstream.scriptEmptyStream();
          upstream.scriptText(Fixtures.ANSWER);
          assertThat(client.run(upstream.clientModel(), Scenario.PLAIN, true)).singleElement()
              .satisfies(a -> assertThat(a.text()).isEqualTo(Fixtures.ANSWER));
          assertThat(upstream.requestCount() - before).isEqualTo(2);
        }))));
  }

  /** A stream that breaks mid-way reaches the client as its protocol's in-stream error: the SDK throws, the raw stream has no clean end. */
  @TestFactory
  Stream<DynamicNode> brokenStreams() {
    return clients.stream().map(client -> dynamicContainer(client + " client", upstreams.stream().map(upstream ->
        dynamicTest(client + " <- broken " + upstream + " stream", () -> brokenStream(client, upstream)))));
  }

  private static void brokenStream(InboundClient client, Upstream upstream) throws Exception {
    upstream.scriptBrokenStream();
    assertThatThrownBy(() -> client.run(upstream.clientModel(), Scenario.PLAIN, true)).as("the SDK must not report success").isNotNull();

    for (InboundClient.RawCall raw : client.rawStreams(upstream.clientModel())) {
      upstream.scriptBrokenStream();
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(gateway.url() + raw.path()))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(raw.body()));
      raw.headers().forEach(req::header);
      HttpResponse<String> resp = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).as("the stream had started").isEqualTo(200);
      client.assertEndsInError(raw, resp.body());
    }
  }
}
