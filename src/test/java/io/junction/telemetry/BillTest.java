package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.junction.protocol.Usage;
import io.junction.provider.Adapters;
import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-computed bills, one or more per provider family: a response body with usage exactly as the
 * provider reports it, decoded by that provider's own codec, priced from the shipped catalog. Each
 * expected figure is worked out in the comment beside it from the catalog's per-1M prices.
 */
class BillTest {
  private static final Pricing PRICING = Pricing.catalog();

  static Stream<Arguments> bills() {
    return Stream.of(
        // gpt-5: 1.25 in, 0.125 cached, 10 out. 4000 uncached = .005; 8000 cached = .001;
        // 3000 output (2000 of them reasoning, inside completion_tokens) = .03.
        bill("openai", "openai", "gpt-5-2025-08-07", openAi("""
            {"prompt_tokens":12000,"completion_tokens":3000,"total_tokens":15000,
             "prompt_tokens_details":{"cached_tokens":8000,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":2000,"audio_tokens":0,
               "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""", "default"),
            0.005, 0.001, 0, 0.03, "standard"),
        // o4-mini on the flex tier bills at the batch price 0.55/2.2: 10000 in = .0055; 5000 out = .011.
        bill("openai flex", "openai", "o4-mini", openAi("""
            {"prompt_tokens":10000,"completion_tokens":5000,"total_tokens":15000,
             "prompt_tokens_details":{"cached_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":4000}}""", "flex"),
            0.0055, 0, 0, 0.011, "flex"),
        // claude-sonnet-4-5: 3 in, 0.30 read, 3.75 5m write, 6 1h write, 15 out. 2000 in = .006;
        // 50000 read = .015; 4000 5m writes = .015 + 6000 1h writes = .036; 1000 out = .015.
        bill("anthropic 5m+1h cache", "anthropic", "claude-sonnet-4-5-20250929", anthropic("""
            {"input_tokens":2000,"cache_creation_input_tokens":10000,"cache_read_input_tokens":50000,
             "cache_creation":{"ephemeral_5m_input_tokens":4000,"ephemeral_1h_input_tokens":6000},
             "output_tokens":1000,"service_tier":"standard"}"""),
            0.006, 0.015, 0.051, 0.015, "standard"),
        // Prompt of 150000 + 100000 read = 250000 > 200k: every token at 6 in, 0.60 read, 22.50 out.
        // 150000 in = .9; 100000 read = .06; 2000 out = .045.
        bill("anthropic long context", "anthropic", "claude-sonnet-4-5", anthropic("""
            {"input_tokens":150000,"cache_creation_input_tokens":0,"cache_read_input_tokens":100000,
             "output_tokens":2000}"""),
            0.9, 0.06, 0, 0.045, "long_context"),
        // claude-haiku-5-5 above its 100k prompt tier: 0.50 in, 2.50 out. 120000 in = .06; 1000 out = .0025.
        bill("anthropic haiku 5.5 prompt tier", "anthropic", "claude-haiku-5-5", anthropic("""
            {"input_tokens":120000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1000}"""),
            0.06, 0, 0, 0.0025, "long_context"),
        // Claude on Vertex (Anthropic wire format, vertex/claude-sonnet-4-5 entry): 1000 in = .003; 100 out = .0015.
        bill("vertex claude", "vertex", "claude-sonnet-4-5@20250929", anthropic("""
            {"input_tokens":1000,"output_tokens":100}"""),
            0.003, 0, 0, 0.0015, "standard"),
        // gemini-2.5-pro: 1.25 in, 0.125 cached, 10 out. promptTokenCount includes the 20000 cached:
        // 10000 in = .0125; 20000 cached = .0025; thoughts bill as output: (1000 + 3000) out = .04.
        bill("gemini thinking + cache", "gemini", "gemini-2.5-pro", gemini("""
            {"promptTokenCount":30000,"candidatesTokenCount":1000,"thoughtsTokenCount":3000,
             "cachedContentTokenCount":20000,"totalTokenCount":34000}"""),
            0.0125, 0.0025, 0, 0.04, "standard"),
        // Over 200k prompt tokens: 2.50 in, 15 out. 300000 in = .75; 1000 out = .015.
        bill("gemini long context", "gemini", "gemini-2.5-pro", gemini("""
            {"promptTokenCount":300000,"candidatesTokenCount":1000,"totalTokenCount":301000}"""),
            0.75, 0, 0, 0.015, "long_context"),
        // Bedrock Converse, Claude Sonnet 4.5 (global inference profile; the us./eu. profiles bill 10% more):
        // inputTokens excludes the cache.
        // 1000 in = .003; 20000 read = .006; 3000 5m writes = .01125 + 5000 1h writes = .03; 500 out = .0075.
        bill("bedrock converse claude", "bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", bedrock("""
            {"inputTokens":1000,"outputTokens":500,"totalTokens":29500,"cacheReadInputTokens":20000,
             "cacheWriteInputTokens":8000,"cacheDetails":[{"ttl":"1h","inputTokens":5000},{"ttl":"5m","inputTokens":3000}]}"""),
            0.003, 0.006, 0.04125, 0.0075, "standard"),
        // deepseek-chat: 0.28 in, 0.028 hit, 0.42 out. 4000 miss = .00112; 6000 hit = .000168; 1000 out = .00042.
        bill("deepseek cache hit", "deepseek", "deepseek-chat", openAi("""
            {"prompt_tokens":10000,"completion_tokens":1000,"total_tokens":11000,
             "prompt_cache_hit_tokens":6000,"prompt_cache_miss_tokens":4000}""", null),
            0.00112, 0.000168, 0, 0.00042, "standard"),
        // grok-3-mini reporting reasoning beside completion_tokens (total = 1000 + 100 + 800):
        // 0.30 in, 0.50 out. 1000 in = .0003; (100 + 800) out = .00045.
        bill("xai reasoning outside completion", "xai", "grok-3-mini", openAi("""
            {"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1900,
             "prompt_tokens_details":{"text_tokens":1000,"audio_tokens":0,"image_tokens":0,"cached_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":800,"audio_tokens":0}}""", null),
            0.0003, 0, 0, 0.00045, "standard"),
        // The same counts with reasoning inside completion_tokens (total = 1000 + 900): 900 out = .00045.
        bill("xai reasoning inside completion", "xai", "grok-3-mini", openAi("""
            {"prompt_tokens":1000,"completion_tokens":900,"total_tokens":1900,
             "completion_tokens_details":{"reasoning_tokens":800}}""", null),
            0.0003, 0, 0, 0.00045, "standard"),
        // command-a: 2.50 in, 10 out, on billed_units (not tokens): 1000 in = .0025; 500 out = .005.
        bill("cohere billed units", "cohere", "command-a-03-2025", cohere("""
            {"billed_units":{"input_tokens":1000,"output_tokens":500},"tokens":{"input_tokens":1210,"output_tokens":500}}"""),
            0.0025, 0, 0, 0.005, "standard"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bills")
  void billsExactly(String family, String provider, String model, Usage usage,
      double input, double cacheRead, double cacheWrite, double output, String tier) {
    Price.Cost cost = PRICING.bill(provider, model, usage);
    assertThat(cost.tier()).isEqualTo(tier);
    assertThat(cost.inputUsd()).as("input").isCloseTo(input, within(1e-12));
    assertThat(cost.cacheReadUsd()).as("cache read").isCloseTo(cacheRead, within(1e-12));
    assertThat(cost.cacheWriteUsd()).as("cache write").isCloseTo(cacheWrite, within(1e-12));
    assertThat(cost.outputUsd()).as("output").isCloseTo(output, within(1e-12));
    assertThat(cost.totalUsd()).isCloseTo(input + cacheRead + cacheWrite + output, within(1e-12));
  }

  /** A streamed flex answer: the tier rides on the chunks, the usage on the last; both read paths bill it as flex. */
  @org.junit.jupiter.api.Test
  void aStreamedFlexAnswerIsBilledAtTheFlexPrice() {
    String sse = """
        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"o4-mini","service_tier":"flex","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"o4-mini","service_tier":"flex","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"o4-mini","service_tier":"flex","choices":[],"usage":{"prompt_tokens":10000,"completion_tokens":5000,"total_tokens":15000,"completion_tokens_details":{"reasoning_tokens":4000}}}

        data: [DONE]

        """;
    var codec = Adapters.forType("openai").codec();
    java.util.List<io.junction.protocol.StreamEvent> events = new java.util.ArrayList<>();
    var decoder = codec.streamDecoder();
    decoder.feed(Buffer.buffer(sse), events::add);
    decoder.finish(events::add);
    Usage decoded = events.stream().filter(e -> e instanceof io.junction.protocol.StreamEvent.UsageReport)
        .map(e -> ((io.junction.protocol.StreamEvent.UsageReport) e).usage()).reduce(Usage.ZERO, Usage::merge);
    var tap = codec.passthroughTap(true);
    tap.relay(Buffer.buffer(sse));
    tap.finish();
    for (Usage u : new Usage[] {decoded, tap.usage()}) {
      Price.Cost cost = PRICING.bill("openai", "o4-mini", u);
      assertThat(cost.tier()).isEqualTo("flex");
      assertThat(cost.totalUsd()).isCloseTo(0.0055 + 0.011, within(1e-12)); // as the non-streamed flex case
    }
  }

  private static Arguments bill(String family, String provider, String model, Usage usage,
      double input, double cacheRead, double cacheWrite, double output, String tier) {
    return Arguments.of(family, provider, model, usage, input, cacheRead, cacheWrite, output, tier);
  }

  private static Usage decode(String type, String body) {
    return Adapters.forType(type).codec().decodeResponse(Buffer.buffer(body)).usage;
  }

  private static Usage openAi(String usage, String serviceTier) {
    return decode("openai", """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
         "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
         "usage":%s%s}""".formatted(usage, serviceTier == null ? "" : ",\"service_tier\":\"" + serviceTier + "\""));
  }

  private static Usage anthropic(String usage) {
    return decode("anthropic", """
        {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],
         "stop_reason":"end_turn","stop_sequence":null,"usage":%s}""".formatted(usage));
  }

  private static Usage gemini(String usageMetadata) {
    return decode("gemini", """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP","index":0}],
         "usageMetadata":%s,"modelVersion":"m","responseId":"r"}""".formatted(usageMetadata));
  }

  private static Usage bedrock(String usage) {
    return decode("bedrock", """
        {"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn",
         "usage":%s,"metrics":{"latencyMs":100}}""".formatted(usage));
  }

  private static Usage cohere(String usage) {
    return decode("cohere", """
        {"id":"c1","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"hi"}]},
         "usage":%s}""".formatted(usage));
  }
}
