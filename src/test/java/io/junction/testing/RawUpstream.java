package io.junction.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An upstream that records each request byte for byte and answers with a handler the test gives:
 * for checking exactly what the gateway relays, and for hostile answers no real API would send.
 */
public final class RawUpstream implements AutoCloseable {
  /** One request as it arrived. */
  public record Received(String method, String path, MultiMap headers, Buffer body) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile BiConsumer<HttpServerRequest, Buffer> answer;

  public RawUpstream(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> answer) {
    this.answer = answer;
    this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.method().name(), req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      this.answer.accept(req, body);
    }));
    MockOpenAiServer.await(server.listen(0, "127.0.0.1"));
  }

  public void answer(BiConsumer<HttpServerRequest, Buffer> answer) { this.answer = answer; }

  public int port() { return server.actualPort(); }

  public String url() { return "http://127.0.0.1:" + port(); }

  public Received last() { return received.get(received.size() - 1); }

  /** Answers {@code status} with a JSON body. */
  public static BiConsumer<HttpServerRequest, Buffer> json(int status, String body) {
    return (req, b) -> req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  @Override
  public void close() { MockOpenAiServer.await(server.close()); }
}
