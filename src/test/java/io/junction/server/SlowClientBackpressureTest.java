package io.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.ProviderConfig;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must stop the upstream too: the gateway pauses the upstream
 * response while the client's write queue is full, so it never holds a whole answer in memory.
 * The upstream here writes a 96 MB stream as fast as its own write queue lets it, and counts what
 * it managed to write.
 */
class SlowClientBackpressureTest {
  /**
   * 96 MB of events: more than the kernel can hold between the three sockets (the gateway's
   * receive buffer autotunes up to tcp_rmem's max, 32 MB here, plus up to 4 MB of send buffer on
   * each sending side), so an upstream that is not paused writes them all, and one that is stops
   * at well under half.
   */
  private static final int EVENTS = 96 * 1024;
  private static final String EVENT = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "x".repeat(880) + "\"},\"finish_reason\":null}]}\n\n";
  private static final String LAST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

  private Vertx vertx;
  private HttpServer upstream;
  private final AtomicLong eventsWritten = new AtomicLong();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      pump(resp);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway = TestGateway.withProviders(ProviderConfig.simple("big", "openai",
        "http://127.0.0.1:" + upstream.actualPort() + "/v1", List.of("k"), List.of("m")));
  }

  /** Writes events while the connection takes them; resumes on drain (the upstream's own backpressure). */
  private void pump(HttpServerResponse resp) {
    while (eventsWritten.get() < EVENTS) {
      if (resp.writeQueueFull()) {
        resp.drainHandler(v -> pump(resp));
        return;
      }
      resp.write(EVENT);
      eventsWritten.incrementAndGet();
    }
    resp.end(LAST);
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatStopsReadingPausesTheUpstreamAndLaterGetsEverything() throws Exception {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.setReceiveBufferSize(64 * 1024);
      byte[] body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}".getBytes(StandardCharsets.UTF_8);
      OutputStream out = client.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer " + TestGateway.MASTER_KEY
          + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();

      // Not reading: once socket buffers and the gateway's bounded write queue are full, the
      // upstream must be paused. Wait until its count stops moving.
      // First the stream must be under way (on a busy machine the gateway may take a while to call
      // the upstream): a count sampled before then would be 0 and prove nothing.
      for (int i = 0; i < 200 && eventsWritten.get() == 0; i++) Thread.sleep(50);
      assertThat(eventsWritten.get()).as("the upstream started writing").isPositive();
      long before;
      long after = eventsWritten.get();
      do {
        before = after;
        Thread.sleep(1_000);
        after = eventsWritten.get();
      } while (after != before);
      assertThat(after).as("events the upstream could write while the client read nothing").isLessThan(EVENTS / 2);

      // Now read everything: every event arrives, then the OpenAI end marker.
      InputStream in = client.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long contentEvents = 0;
      StringBuilder tail = new StringBuilder();
      String carry = "";
      for (int n; (n = in.read(buf)) > 0; ) {
        String s = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int cut = s.lastIndexOf('\n');
        String whole = cut < 0 ? "" : s.substring(0, cut + 1);
        carry = cut < 0 ? s : s.substring(cut + 1);
        for (int i = whole.indexOf("\"content\":\"x"); i >= 0; i = whole.indexOf("\"content\":\"x", i + 1)) contentEvents++;
        tail.append(whole);
        if (tail.length() > 4096) tail.delete(0, tail.length() - 4096);
        if (tail.indexOf("data: [DONE]") >= 0) break;
      }
      assertThat(contentEvents).isEqualTo(EVENTS);
      assertThat(tail.toString()).contains("\"finish_reason\":\"stop\"").contains("data: [DONE]");
    }
  }
}
