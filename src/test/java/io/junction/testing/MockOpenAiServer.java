package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible upstream on loopback that speaks the real wire format: chat.completion
 * JSON, chat.completion.chunk SSE ending in [DONE] (usage chunk only when asked), embeddings and
 * model lists, and the error modes tests need (status + body + Retry-After, garbage, slow first
 * byte, a stream cut mid-way, a stalled stream, a connection reset, a slow stream). Scripted
 * replies are consumed in order; with none queued it answers with the default reply, "Hello from
 * mock" (or a call to the first tool when tools are given) unless {@link #answerAllWith} changed it.
 * Keys other than the accepted ones get OpenAI's 401. It counts open connections and answers whose
 * connection closed before they ended (the gateway cancelled them).
 */
public final class MockOpenAiServer implements AutoCloseable {

  /** One scripted answer. */
  public record Reply(int status, String body, MultiMap headers, Mode mode, long delayMs, String text) {
    /** SLOW_STREAM writes one event every {@link #SLOW_GAP_MS} ms (a long stream in flight). */
    public enum Mode { NORMAL, GARBAGE, CUT_MID_STREAM, STALL_MID_STREAM, RESET, SLOW_STREAM, EMPTY_STREAM }

    public static Reply text(String text) { return new Reply(200, null, null, Mode.NORMAL, 0, text); }

    public static Reply error(int status, String message) {
      String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
      return new Reply(status, body, null, Mode.NORMAL, 0, null);
    }

    public static Reply rateLimited(long retryAfterSeconds) {
      MultiMap h = MultiMap.caseInsensitiveMultiMap().add("retry-after", Long.toString(retryAfterSeconds));
      String body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
      return new Reply(429, body, h, Mode.NORMAL, 0, null);
    }

    public static Reply mode(Mode mode) { return new Reply(200, null, null, mode, 0, "one two three four"); }

    public Reply delayed(long ms) { return new Reply(status, body, headers, mode, ms, text); }

    public Reply withHeader(String name, String value) {
      MultiMap h = MultiMap.caseInsensitiveMultiMap();
      if (headers != null) h.addAll(headers);
      return new Reply(status, body, h.add(name, value), mode, delayMs, text);
    }
  }

  /** What the mock received, for assertions on what the gateway sent upstream. */
  public record Received(String method, String path, MultiMap headers, JsonNode body) {}

  public static final String KEY = "sk-mock-upstream";
  public static final long SLOW_GAP_MS = 150;

  private final Vertx vertx;
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  public final List<Received> received = new CopyOnWriteArrayList<>();
  /** Accepted provider keys; empty = no auth check. */
  private final java.util.Set<String> acceptedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Reply defaultReply = Reply.text(null);
  public final java.util.concurrent.atomic.AtomicInteger openConnections = new java.util.concurrent.atomic.AtomicInteger();
  /** Chat answers whose connection closed before they ended. */
  public final java.util.concurrent.atomic.AtomicInteger abortedAnswers = new java.util.concurrent.atomic.AtomicInteger();

  public MockOpenAiServer(Vertx vertx) { this(vertx, KEY); }

  public MockOpenAiServer(Vertx vertx, String expectedKey) {
    this.vertx = vertx;
    if (expectedKey != null) acceptedKeys.add(expectedKey);
    this.server = vertx.createHttpServer().requestHandler(this::handle).connectionHandler(conn -> {
      openConnections.incrementAndGet();
      conn.closeHandler(v -> openConnections.decrementAndGet());
    });
    await(server.listen(0, "127.0.0.1"));
  }

  public int port() { return server.actualPort(); }

  public String baseUrl() { return "http://127.0.0.1:" + port() + "/v1"; }

  public MockOpenAiServer enqueue(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public Received last() { return received.get(received.size() - 1); }

  /** Accepts these keys too (a provider's pool); a key not accepted gets 401. */
  public MockOpenAiServer acceptKeys(String... keys) {
    acceptedKeys.addAll(List.of(keys));
    return this;
  }

  /** The answer when nothing is scripted. */
  public MockOpenAiServer answerAllWith(Reply reply) {
    defaultReply = reply;
    return this;
  }

  /** The provider keys the received requests carried, in order. */
  public List<String> keysUsed() {
    return received.stream().map(r -> r.headers().get("authorization")).map(a -> a == null ? null : a.substring("Bearer ".length())).toList();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonNode body = null;
      if (buf.length() > 0) {
        try {
          body = Json.parse(buf);
        } catch (Exception e) {
          error(req.response(), 400, "We could not parse the JSON body of your request.");
          return;
        }
      }
      received.add(new Received(req.method().name(), req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      String auth = req.getHeader("authorization");
      if (!acceptedKeys.isEmpty() && (auth == null || !auth.startsWith("Bearer ") || !acceptedKeys.contains(auth.substring(7)))) {
        error(req.response(), 401, "Incorrect API key provided");
        return;
      }
      switch (req.path()) {
        case "/v1/models" -> req.response().putHeader("content-type", "application/json")
            .end("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1,\"owned_by\":\"openai\"},"
                + "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1,\"owned_by\":\"openai\"}]}");
        case "/v1/embeddings" -> embeddings(req.response(), body);
        case "/v1/chat/completions" -> chat(req.response(), body);
        // Presets keep their own path under the mock's origin (DeepInfra's /v1/openai, GitHub's /inference).
        default -> {
          if (req.path().endsWith("/chat/completions")) chat(req.response(), body);
          else error(req.response(), 404, "Unknown path " + req.path());
        }
      }
    });
  }

  private void chat(HttpServerResponse resp, JsonNode body) {
    if (body == null || !body.path("model").isTextual() || !body.path("messages").isArray()) {
      error(resp, 400, "'model' and 'messages' are required");
      return;
    }
    Reply reply = script.poll();
    Reply r = reply == null ? defaultReply : reply;
    resp.closeHandler(v -> {
      if (!resp.ended()) abortedAnswers.incrementAndGet();
    });
    Runnable answer = () -> {
      if (r.status() >= 400) {
        if (r.headers() != null) resp.headers().addAll(r.headers());
        resp.setStatusCode(r.status()).putHeader("content-type", "application/json").end(r.body());
        return;
      }
      switch (r.mode()) {
        case GARBAGE -> resp.putHeader("content-type", "application/json").end("<html>502 Bad Gateway</html>");
        case RESET -> resp.reset();
        default -> {
          boolean stream = body.path("stream").asBoolean(false);
          if (stream) stream(resp, body, r);
          else resp.putHeader("content-type", "application/json").end(Json.buffer(completion(body, r)));
        }
      }
    };
    if (r.delayMs() > 0) vertx.setTimer(r.delayMs(), id -> answer.run());
    else answer.run();
  }

  private static String replyText(JsonNode body, Reply r) {
    return r.text() != null ? r.text() : "Hello from mock";
  }

  /** A tool call when tools are offered and the last message is not a tool result. */
  private static JsonNode toolToCall(JsonNode body) {
    JsonNode tools = body.path("tools");
    ArrayNode msgs = (ArrayNode) body.path("messages");
    boolean lastIsTool = msgs.size() > 0 && "tool".equals(msgs.get(msgs.size() - 1).path("role").asText());
    if (tools.isArray() && !tools.isEmpty() && !lastIsTool && !"none".equals(body.path("tool_choice").asText())) return tools.get(0);
    return null;
  }

  private static ObjectNode completion(JsonNode body, Reply r) {
    ObjectNode c = Json.object();
    c.put("id", "chatcmpl-mock1").put("object", "chat.completion").put("created", 1700000000).put("model", body.path("model").asText());
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    JsonNode tool = toolToCall(body);
    if (tool != null) {
      msg.putNull("content");
      ObjectNode call = msg.putArray("tool_calls").addObject();
      call.put("id", "call_mock1").put("type", "function");
      call.putObject("function").put("name", tool.path("function").path("name").asText()).put("arguments", "{\"city\":\"Paris\"}");
      choice.put("finish_reason", "tool_calls");
    } else {
      msg.put("content", replyText(body, r));
      choice.put("finish_reason", "stop");
    }
    msg.putNull("refusal");
    choice.putNull("logprobs");
    ObjectNode usage = c.putObject("usage");
    usage.put("prompt_tokens", 12).put("completion_tokens", 5).put("total_tokens", 17);
    usage.putObject("prompt_tokens_details").put("cached_tokens", 2);
    return c;
  }

  private void stream(HttpServerResponse resp, JsonNode body, Reply r) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    String model = body.path("model").asText();
    JsonNode tool = toolToCall(body);
    StringBuilder events = new StringBuilder();
    events.append(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
    if (tool != null) {
      String name = tool.path("function").path("name").asText();
      events.append(chunk(model, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_mock1\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":\"\"}}]}", null));
      events.append(chunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null));
      events.append(chunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
      events.append(chunk(model, "{}", "tool_calls"));
    } else {
      String[] words = replyText(body, r).split(" ");
      for (int i = 0; i < words.length; i++) {
        events.append(chunk(model, "{\"content\":" + Json.text(Json.NODES.textNode(i == 0 ? words[i] : " " + words[i])) + "}", null));
      }
      events.append(chunk(model, "{}", "stop"));
    }
    if (body.path("stream_options").path("include_usage").asBoolean(false)) {
      events.append("data: {\"id\":\"chatcmpl-mock1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"")
          .append(model).append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,")
          .append("\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\n");
    }
    events.append("data: [DONE]\n\n");
    String all = events.toString();
    switch (r.mode()) {
      case EMPTY_STREAM -> resp.end(); // 200 and headers, then the connection ends: no event at all
      case CUT_MID_STREAM -> {
        resp.write(all.substring(0, all.length() / 2));
        vertx.setTimer(20, id -> resp.reset());
      }
      case STALL_MID_STREAM -> resp.write(all.substring(0, all.length() / 2)); // never ends
      case SLOW_STREAM -> writeSlowly(resp, List.of(all.split("(?<=\n\n)")), 0);
      default -> {
        // Split at odd byte offsets on purpose: clients must reassemble events across chunks.
        int cut = all.length() / 3 + 1;
        resp.write(all.substring(0, cut));
        resp.end(all.substring(cut));
      }
    }
  }

  private void writeSlowly(HttpServerResponse resp, List<String> events, int next) {
    if (resp.closed()) return;
    if (next == events.size() - 1) {
      resp.end(events.get(next));
      return;
    }
    resp.write(events.get(next));
    vertx.setTimer(SLOW_GAP_MS, id -> writeSlowly(resp, events, next + 1));
  }

  private static String chunk(String model, String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-mock1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
  }

  private static void embeddings(HttpServerResponse resp, JsonNode body) {
    ObjectNode root = Json.object().put("object", "list").put("model", body.path("model").asText());
    ArrayNode data = root.putArray("data");
    int n = body.path("input").isArray() ? body.path("input").size() : 1;
    for (int i = 0; i < n; i++) {
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      e.putArray("embedding").add(0.1).add(0.2).add(0.3);
    }
    root.putObject("usage").put("prompt_tokens", 4).put("total_tokens", 4);
    resp.putHeader("content-type", "application/json").end(Json.buffer(root));
  }

  private static void error(HttpServerResponse resp, int status, String message) {
    resp.setStatusCode(status).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
  }

  @Override
  public void close() { await(server.close()); }

  public static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
