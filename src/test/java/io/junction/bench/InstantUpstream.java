package io.junction.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's upstream: an OpenAI-compatible server that answers {@code POST
 * /v1/chat/completions} instantly with canned bytes, so that what the benchmark measures is the
 * gateway, not a model. A request whose body contains {@code "stream":true} gets a 20-chunk SSE
 * stream (each event its own HTTP chunk, as real servers send them) followed by a usage chunk and
 * {@code data: [DONE]}; any other gets one chat.completion. Every answer is built once, at start.
 *
 * <p>Usage: {@code InstantUpstream <port>}; prints {@code listening <port>} when ready.
 */
public final class InstantUpstream {
  private static final String ID = "chatcmpl-bench0000000000000000000000";
  private static final String MODEL = "gpt-4o-mini-2024-07-18";
  private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_TRUE_SPACED = "\"stream\": true".getBytes(StandardCharsets.US_ASCII);

  static final Buffer COMPLETION = Buffer.buffer("""
      {"id":"%s","object":"chat.completion","created":1731000000,"model":"%s","choices":[{"index":0,\
      "message":{"role":"assistant","content":"Hello! This is a canned answer from the benchmark upstream.",\
      "refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":12,\
      "total_tokens":31},"system_fingerprint":"fp_bench"}""".formatted(ID, MODEL));

  static final List<Buffer> STREAM = streamEvents(20);

  private InstantUpstream() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true);
    for (int i = 0; i < loops; i++) {
      vertx.createHttpServer(options).requestHandler(InstantUpstream::handle).listen().await();
    }
    System.out.println("listening " + port);
  }

  private static void handle(HttpServerRequest req) {
    if (req.method() != io.vertx.core.http.HttpMethod.POST || !req.path().endsWith("/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      var resp = req.response();
      if (wantsStream(body)) {
        resp.putHeader("content-type", "text/event-stream; charset=utf-8").setChunked(true);
        for (Buffer event : STREAM) resp.write(event);
        resp.end();
      } else {
        resp.putHeader("content-type", "application/json").end(COMPLETION);
      }
    });
  }

  private static boolean wantsStream(Buffer body) {
    byte[] b = body.getBytes();
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
}
