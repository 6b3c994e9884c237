package io.junction.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's upstream: answers instantly with canned bytes, so that what the benchmark
 * measures is the gateway, not a model. Every answer is built once, at start.
 *
 * <ul>
 *   <li>{@code POST …/chat/completions} (OpenAI): one chat.completion, or (body has
 *       {@code "stream":true}) 20 chunk events, each its own HTTP chunk as real servers send
 *       them, then a usage chunk and {@code data: [DONE]}.
 *   <li>{@code POST …/v1/messages} (Anthropic): one message, or a stream of 22 events as the
 *       Messages API sends them: message_start, content_block_start, ping, 16 text deltas,
 *       content_block_stop, message_delta (stop_reason, usage), message_stop.
 * </ul>
 *
 * <p>A body that contains {@code bench-fail-500} gets a 500 (an OpenAI-shaped server error); one
 * that contains {@code bench-fail-cut} gets a stream that breaks after two events (the connection
 * closed; over HTTP/2 the stream reset): the soak's upstream failures.
 *
 * <p>With a pace, streams are paced like a model: {@code chunks} OpenAI chunk events, the first at
 * once and one every {@code ms} after it (the usage chunk and [DONE] ride with the last).
 *
 * <p>With {@code -Dbench.tls.keystore=<PKCS#12 file>} (and {@code -Dbench.tls.password}) it serves
 * TLS and offers HTTP/2 by ALPN, as hosted providers do, allowing {@code -Dbench.h2.streams}
 * (default 100, Vert.x's and RFC 9113's usual floor) concurrent streams per connection: the
 * gateway's upstream side then holds a few connections for many streams instead of one each.
 *
 * <p>Usage: {@code InstantUpstream <port> [<pace chunks> <pace ms>]}; prints {@code listening <port>}.
 */
public final class InstantUpstream {
  private static final String ID = "chatcmpl-bench0000000000000000000000";
  private static final String MODEL = "gpt-4o-mini-2024-07-18";
  private static final String MSG_ID = "msg_01Bench0000000000000000";
  private static final String CLAUDE = "claude-sonnet-4-5-20250929";
  private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_TRUE_SPACED = "\"stream\": true".getBytes(StandardCharsets.US_ASCII);

  static final Buffer COMPLETION = Buffer.buffer("""
      {"id":"%s","object":"chat.completion","created":1731000000,"model":"%s","choices":[{"index":0,\
      "message":{"role":"assistant","content":"Hello! This is a canned answer from the benchmark upstream.",\
      "refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":12,\
      "total_tokens":31},"system_fingerprint":"fp_bench"}""".formatted(ID, MODEL));

  static final List<Buffer> STREAM = streamEvents(20);

  static final Buffer MESSAGE = Buffer.buffer("""
      {"id":"%s","type":"message","role":"assistant","model":"%s","content":[{"type":"text",\
      "text":"Hello! This is a canned answer from the benchmark upstream."}],"stop_reason":"end_turn",\
      "stop_sequence":null,"usage":{"input_tokens":19,"cache_creation_input_tokens":0,\
      "cache_read_input_tokens":0,"output_tokens":12}}""".formatted(MSG_ID, CLAUDE));

  static final List<Buffer> MESSAGE_STREAM = messageEvents(16);

  private static int paceChunks;
  private static long paceMs;

  private InstantUpstream() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    if (args.length > 2) {
      paceChunks = Integer.parseInt(args[1]);
      paceMs = Long.parseLong(args[2]);
    }
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
        .setAcceptBacklog(16384);
    String keystore = System.getProperty("bench.tls.keystore");
    if (keystore != null) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PfxOptions().setPath(keystore).setPassword(System.getProperty("bench.tls.password", "")))
          .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(Long.getLong("bench.h2.streams", 100)));
    }
    List<Buffer> paced = paceChunks > 0 ? streamEvents(paceChunks) : List.of();
    for (int i = 0; i < loops; i++) {
      vertx.createHttpServer(options).requestHandler(req -> handle(req, paced)).listen().await();
    }
    System.out.println("listening " + port);
  }

  private static void handle(HttpServerRequest req, List<Buffer> paced) {
    boolean openai = req.path().endsWith("/chat/completions");
    if (req.method() != HttpMethod.POST || !(openai || req.path().endsWith("/v1/messages"))) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      HttpServerResponse resp = req.response();
      byte[] bytes = body.getBytes();
      if (indexOf(bytes, FAIL_500) >= 0) {
        resp.setStatusCode(500).putHeader("content-type", "application/json").end(SERVER_ERROR);
        return;
      }
      if (indexOf(bytes, FAIL_CUT) >= 0) {
        // Two events, then 20 ms later the connection goes (over HTTP/2 the stream is reset): the stream breaks mid-way.
        resp.putHeader("content-type", "text/event-stream; charset=utf-8").setChunked(true);
        List<Buffer> events = openai ? STREAM : MESSAGE_STREAM;
        resp.write(events.get(0));
        resp.write(events.get(1));
        Vertx.currentContext().owner().setTimer(20, id -> {
          if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2) resp.reset();
          else req.connection().close();
        });
        return;
      }
      if (!wantsStream(bytes)) {
        resp.putHeader("content-type", "application/json").end(openai ? COMPLETION : MESSAGE);
        return;
      }
      resp.putHeader("content-type", "text/event-stream; charset=utf-8").setChunked(true);
      if (openai && !paced.isEmpty()) {
        Pacer.of(Vertx.currentContext()).start(resp, paced);
        return;
      }
      for (Buffer event : openai ? STREAM : MESSAGE_STREAM) resp.write(event);
      resp.end();
    });
  }

  /**
   * One timer per event loop that advances every paced stream on that loop by one event per tick,
   * instead of a timer per stream (10,000 streams would be 500,000 timer firings a second).
   */
  private static final class Pacer {
    private static final Map<Thread, Pacer> BY_LOOP = new ConcurrentHashMap<>();
    private List<Paced> streams = new ArrayList<>();

    private record Paced(HttpServerResponse resp, List<Buffer> events, int[] next) {}

    static Pacer of(Context ctx) {
      return BY_LOOP.computeIfAbsent(Thread.currentThread(), t -> {
        Pacer created = new Pacer();
        ctx.owner().setPeriodic(paceMs, id -> created.tick());
        return created;
      });
    }

    void start(HttpServerResponse resp, List<Buffer> events) {
      resp.write(events.get(0));
      streams.add(new Paced(resp, events, new int[] {1}));
    }

    private void tick() {
      List<Paced> still = new ArrayList<>(streams.size());
      for (Paced s : streams) {
        int i = s.next[0]++;
        if (s.resp.closed()) continue;
        if (i < paceChunks - 1) {
          s.resp.write(s.events.get(i));
          still.add(s);
        } else {
          for (int j = i; j < s.events.size(); j++) s.resp.write(s.events.get(j));
          s.resp.end();
        }
      }
      streams = still;
    }
  }

  /** In a request body (a user message, say): answer 500, or cut the stream after two events. */
  private static final byte[] FAIL_500 = "bench-fail-500".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAIL_CUT = "bench-fail-cut".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer SERVER_ERROR = Buffer.buffer(
      "{\"error\":{\"message\":\"The server had an error processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");

  private static boolean wantsStream(byte[] b) {
    return indexOf(b, STREAM_TRUE) >= 0 || indexOf(b, STREAM_TRUE_SPACED) >= 0;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** {@code chunks} chunks (role, content, finish_reason), then the usage chunk and [DONE]. */
  static List<Buffer> streamEvents(int chunks) {
    String head = "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\""
        + MODEL + "\",\"system_fingerprint\":\"fp_bench\",\"choices\":[";
    List<Buffer> events = new ArrayList<>();
    events.add(Buffer.buffer(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"));
    for (int i = 1; i < chunks - 1; i++) {
      events.add(Buffer.buffer(head + "{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"},"
          + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"));
    }
    events.add(Buffer.buffer(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"));
    events.add(Buffer.buffer(head + "],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":" + (chunks - 2)
        + ",\"total_tokens\":" + (19 + chunks - 2) + "}}\n\n"));
    events.add(Buffer.buffer("data: [DONE]\n\n"));
    return List.copyOf(events);
  }

  /** An Anthropic Messages stream with {@code deltas} text deltas (each event its own HTTP chunk). */
  static List<Buffer> messageEvents(int deltas) {
    List<Buffer> events = new ArrayList<>();
    events.add(sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + MSG_ID + "\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":19,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}"));
    events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    events.add(sse("ping", "{\"type\":\"ping\"}"));
    for (int i = 1; i <= deltas; i++) {
      events.add(sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word"
          + i + "\"}}"));
    }
    events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    events.add(sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + deltas + "}}"));
    events.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
    return List.copyOf(events);
  }

  private static Buffer sse(String event, String data) {
    return Buffer.buffer("event: " + event + "\ndata: " + data + "\n\n");
  }
}
