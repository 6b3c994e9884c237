package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Json;
import io.junction.provider.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the provider mocks share: a loopback Vert.x server on port 0, a queue of scripted replies
 * (answered in the order scripted, one per accepted request), and a record of every request.
 */
public abstract class MockUpstreamBase implements AutoCloseable {

  /** One request as the server received it. */
  public record Received(HttpMethod method, String path, String query, MultiMap headers, Buffer body) {
    public JsonNode json() {
      try {
        return Json.parse(body);
      } catch (IOException e) {
        throw new AssertionError("request body is not JSON: " + body, e);
      }
    }
  }

  /** A scripted reply. {@link Answer} is encoded in the provider's wire format, streamed or not as the request asked. */
  public sealed interface Reply {
    record Answer(ChatResponse response) implements Reply {}

    /** An error in the provider's error shape. */
    record Error(int status, String message) implements Reply {}

    /** Bytes sent as-is, one write per chunk (to exercise decoders with awkward splits). */
    record Raw(int status, String contentType, List<Buffer> chunks) implements Reply {}

    /** A 200 stream that sends {@code chunks}, then drops the connection a moment later: broken mid-way. */
    record Cut(String contentType, List<Buffer> chunks) implements Reply {}
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final Vertx vertx;
  private HttpServer server;

  protected MockUpstreamBase(Vertx vertx) { this.vertx = vertx; }

  protected void listen() {
    server = await(vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          received.add(new Received(req.method(), req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
          handle(req, body);
        }))
        .listen(0, "127.0.0.1"));
  }

  /** Answers one request: validate as strictly as the real API, then send the next scripted reply. */
  protected abstract void handle(HttpServerRequest req, Buffer body);

  public int port() { return server.actualPort(); }

  public String baseUrl() { return "http://127.0.0.1:" + port(); }

  public MockUpstreamBase enqueue(Reply reply) {
    replies.add(reply);
    return this;
  }

  public MockUpstreamBase answer(ChatResponse response) { return enqueue(new Reply.Answer(response)); }

  public MockUpstreamBase error(int status, String message) { return enqueue(new Reply.Error(status, message)); }

  public MockUpstreamBase raw(int status, String contentType, Buffer... chunks) {
    return enqueue(new Reply.Raw(status, contentType, List.of(chunks)));
  }

  public MockUpstreamBase cut(String contentType, Buffer... chunks) { return enqueue(new Reply.Cut(contentType, List.of(chunks))); }

  /** Sends a {@link Reply.Cut}: the gap lets the chunks reach the gateway's client before the drop. */
  protected void cut(HttpServerResponse resp, Reply.Cut cut) {
    resp.setStatusCode(200).putHeader("content-type", cut.contentType()).setChunked(true);
    cut.chunks().forEach(resp::write);
    vertx.setTimer(20, id -> resp.reset());
  }

  /** The next scripted reply; a request nobody scripted is a test bug, answered 500. */
  protected Reply nextReply() {
    Reply r = replies.poll();
    return r != null ? r : new Reply.Error(500, "mock: no reply scripted for this request");
  }

  protected static void send(HttpServerResponse resp, int status, String contentType, List<Buffer> chunks) {
    resp.setStatusCode(status).putHeader("content-type", contentType).setChunked(true);
    chunks.forEach(resp::write);
    resp.end();
  }

  public Received last() { return received.get(received.size() - 1); }

  @Override
  public void close() { await(server.close()); }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** An upstream answer as a plain HTTP client saw it: status, headers, every body chunk in arrival order. */
  public record Response(int status, MultiMap headers, List<Buffer> chunks) {
    public Buffer body() {
      Buffer b = Buffer.buffer();
      chunks.forEach(b::appendBuffer);
      return b;
    }

    public void replay(Consumer<Buffer> consumer) { chunks.forEach(consumer); }
  }

  /** Sends a prepared {@link UpstreamCall} the way the gateway does (absolute URL, its headers, its body). */
  public static Response send(Vertx vertx, UpstreamCall call) {
    HttpClient client = vertx.createHttpClient();
    try {
      return await(client.request(new RequestOptions().setMethod(call.method()).setAbsoluteURI(call.url()).setHeaders(call.headers()))
          .compose(req -> {
            // Handlers go on before the request is sent, so no body chunk can arrive unobserved.
            Promise<Response> done = Promise.promise();
            List<Buffer> chunks = new ArrayList<>();
            req.response().onFailure(done::fail).onSuccess(resp -> resp.handler(chunks::add).exceptionHandler(done::fail)
                .endHandler(v -> done.complete(new Response(resp.statusCode(), resp.headers(), chunks))));
            (call.body() == null ? req.end() : req.end(call.body())).onFailure(done::fail);
            return done.future();
          }));
    } finally {
      client.close();
    }
  }
}
