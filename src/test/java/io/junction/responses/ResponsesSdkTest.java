package io.junction.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseItem;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official openai-java Responses client against Junction: create, continue, retrieve, list input items, delete. */
class ResponsesSdkTest {
  static Vertx vertx;
  static MockAnthropicServer anthropic;
  static TestGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    anthropic = new MockAnthropicServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("anth", "anthropic", anthropic.baseUrl(), List.of(MockAnthropicServer.KEY), List.of("claude-sonnet-4-5")));
    client = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    MockUpstreamBase.await(vertx.close());
  }

  static String text(Response r) {
    StringBuilder sb = new StringBuilder();
    r.output().forEach(i -> { if (i.isMessage()) i.asMessage().content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))); });
    return sb.toString();
  }

  @Test
  void conversationThroughTheSdk() {
    anthropic.enqueue(MockAnthropicServer.Reply.text("Paris.").usage(10, 2));
    Response first = client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4-5")
        .input("Capital of France?").instructions("Answer in one word.").build());
    assertThat(text(first)).isEqualTo("Paris.");
    assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(10);

    anthropic.enqueue(MockAnthropicServer.Reply.text("Berlin.").usage(20, 2));
    Response second = client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4-5")
        .input("And of Germany?").previousResponseId(first.id()).build());
    assertThat(text(second)).isEqualTo("Berlin.");
    assertThat(second.previousResponseId()).contains(first.id());
    var sent = anthropic.requests().get(anthropic.requests().size() - 1).body();
    assertThat(sent.path("messages")).hasSize(3);
    assertThat(sent.has("system")).as("instructions are not carried over").isFalse();

    Response again = client.responses().retrieve(second.id());
    assertThat(again.id()).isEqualTo(second.id());
    assertThat(text(again)).isEqualTo("Berlin.");
    List<ResponseItem> items = client.responses().inputItems().list(second.id()).data();
    assertThat(items).hasSize(3);
    assertThat(items).allMatch(i -> i.isResponseInputMessageItem() || i.isResponseOutputMessage());

    client.responses().delete(first.id());
    assertThatThrownBy(() -> client.responses().retrieve(first.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4-5")
        .input("x").previousResponseId(first.id()).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("previous_response_not_found"));
  }
}
