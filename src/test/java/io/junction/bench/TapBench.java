package io.junction.bench;

import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Part;
import io.junction.protocol.SseParser;
import io.junction.protocol.StreamTap;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.bedrock.BedrockCodec;
import io.junction.protocol.cohere.CohereCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockCohereServer;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a relayed stream costs to watch: each protocol's pass-through tap against its full decoder
 * ({@link StreamTap#decoding}), µs per 20-delta stream fed one event per chunk (best of 9 runs);
 * and how long 20 MiB without a line end takes to be refused. A plain main, see bench/README.md.
 */
public final class TapBench {
  private static long sink;

  private TapBench() {}

  public static void main(String[] args) {
    Buffer piece = Buffer.buffer(new byte[64 * 1024]);
    for (int run = 0; run < 6; run++) {
      long t0 = System.nanoTime();
      SseParser parser = new SseParser((e, d) -> { });
      for (int i = 0; i < 20 * 16; i++) parser.feed(piece);
      System.out.printf("20 MiB without a line end, 64 KiB chunks: %.1f ms (%s)%n", (System.nanoTime() - t0) / 1e6, parser.error());
    }
    String[] names = {"openai", "anthropic", "gemini", "cohere", "bedrock"};
    UpstreamCodec[] codecs = {OpenAiCodec.INSTANCE, AnthropicCodec.INSTANCE, GeminiCodec.INSTANCE, new CohereCodec(), new BedrockCodec()};
    List<List<Buffer>> streams = List.of(openAi(), anthropic(), gemini(), events(MockCohereServer.sse(answer())), MockBedrockServer.frames(answer()));
    double[][] best = new double[names.length][2];
    for (double[] b : best) Arrays.fill(b, Double.MAX_VALUE);
    for (int run = 0; run < 9; run++) {
      for (int p = 0; p < names.length; p++) {
        UpstreamCodec codec = codecs[p];
        best[p][0] = Math.min(best[p][0], time(streams.get(p), () -> codec.passthroughTap(false)));
        best[p][1] = Math.min(best[p][1], time(streams.get(p), () -> StreamTap.decoding(codec.streamDecoder())));
      }
    }
    System.out.printf("%-10s %7s %10s %14s%n", "protocol", "events", "tap µs", "decoder µs");
    for (int p = 0; p < names.length; p++) {
      System.out.printf("%-10s %7d %10.2f %14.2f%n", names[p], streams.get(p).size(), best[p][0], best[p][1]);
    }
    if (sink == 42) System.out.println();
  }

  private static double time(List<Buffer> events, java.util.function.Supplier<StreamTap> taps) {
    int n = 20_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      StreamTap tap = taps.get();
      for (Buffer e : events) sink += tap.relay(e).length();
      tap.finish();
      if (!tap.complete() || tap.usage().inputTokens() == 0) throw new AssertionError("the bench stream must be complete, with usage");
    }
    return (System.nanoTime() - t0) / 1e3 / n;
  }

  private static ChatResponse answer() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Text("word ".repeat(20)));
    r.finishReason = FinishReason.STOP;
    r.usage = new Usage(12, 20);
    return r;
  }

  private static List<Buffer> events(String sse) {
    List<Buffer> out = new ArrayList<>();
    for (String e : sse.split("(?<=\n\n)")) out.add(Buffer.buffer(e));
    return out;
  }

  /** What InstantUpstream sends: chunks with "usage":null, a finish chunk, the usage chunk, [DONE]. */
  private static List<Buffer> openAi() {
    String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":";
    StringBuilder sb = new StringBuilder(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < 20; i++) sb.append(head).append("{\"content\":\" word\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    sb.append(head).append("{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    sb.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\",\"choices\":[],")
        .append("\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":20,\"total_tokens\":32,\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\n");
    return events(sb.append("data: [DONE]\n\n").toString());
  }

  private static List<Buffer> anthropic() {
    StringBuilder sb = new StringBuilder("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",")
        .append("\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,")
        .append("\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,\"output_tokens\":1}}}\n\n")
        .append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    for (int i = 0; i < 20; i++) {
      sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n");
    }
    sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
        .append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}\n\n")
        .append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return events(sb.toString());
  }

  /** Gemini sends usageMetadata on every chunk; the last one has the finishReason. */
  private static List<Buffer> gemini() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" word\"}],\"role\":\"model\"}")
          .append(i == 19 ? ",\"finishReason\":\"STOP\"" : "").append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,")
          .append("\"candidatesTokenCount\":").append(i + 1).append(",\"totalTokenCount\":").append(13 + i)
          .append("},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
    }
    return events(sb.toString().replace("\r\n\r\n", "\n\n"));
  }
}
