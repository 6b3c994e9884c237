package io.junction.routing;

import static io.junction.routing.GatewayHarness.gateway;
import static io.junction.routing.Providers.openai;
import static io.junction.testing.GatewayHttp.await;
import static io.junction.testing.GatewayHttp.chatBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.testing.GatewayHttp;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping lets a stream in flight finish, while readiness is down and new connections are refused. */
class GracefulShutdownTest {

  private static boolean refused(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void streamInFlightCompletesWhileNewConnectionsAreRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    MockOpenAiServer upstream = new MockOpenAiServer(vertx);
    TestGateway gw = gateway(10_000, List.of(), openai("a", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), "m"));
    try {
      upstream.enqueue(Reply.mode(Reply.Mode.SLOW_STREAM));
      CompletableFuture<HttpResponse<String>> stream = GatewayHttp.HTTP.sendAsync(
          HttpRequest.newBuilder(URI.create(gw.url() + "/v1/chat/completions"))
              .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(chatBody("m", true))).build(),
          HttpResponse.BodyHandlers.ofString());
      await("the stream to reach the upstream", () -> upstream.received.size() == 1);
      assertThat(gw.junction.ready()).isTrue();

      Future<Void> stopping = gw.junction.stop();
      assertThat(gw.junction.ready()).isFalse();
      await("new connections to be refused", () -> refused(gw.port()));
      assertThat(stream).isNotDone();

      HttpResponse<String> r = stream.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"content\":\"one\"").contains("\"content\":\" four\"").endsWith("data: [DONE]\n\n");
      stopping.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(upstream.abortedAnswers.get()).isZero();
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), gw.port()).close()).isInstanceOf(ConnectException.class);
    } finally {
      upstream.close();
      vertx.close();
    }
  }
}
