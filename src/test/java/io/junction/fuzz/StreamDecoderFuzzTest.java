package io.junction.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.bedrock.BedrockCodec;
import io.junction.protocol.cohere.CohereCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Every upstream stream decoder on arbitrary bytes, split into chunks wherever the fuzzer likes
 * (inside a line, a frame, a UTF-8 sequence): a broken stream may end in a {@link GatewayException}
 * or an error event, never another exception, and once the upstream closes the decoder has said
 * how the stream ended. Seeds: the conformance answers in each upstream's wire format.
 */
class StreamDecoderFuzzTest {

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void openai(FuzzedDataProvider data) { feed(OpenAiCodec.INSTANCE, data); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void anthropic(FuzzedDataProvider data) { feed(AnthropicCodec.INSTANCE, data); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void gemini(FuzzedDataProvider data) { feed(GeminiCodec.INSTANCE, data); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void cohere(FuzzedDataProvider data) { feed(new CohereCodec(), data); }

  @FuzzTest(maxExecutions = Fuzz.EXECUTIONS)
  void bedrock(FuzzedDataProvider data) { feed(new BedrockCodec(), data); }

  private static void feed(UpstreamCodec codec, FuzzedDataProvider data) {
    StreamDecoder decoder = codec.streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    try {
      while (data.remainingBytes() > 0) {
        int size = data.consumeInt(1, 256);
        decoder.feed(Buffer.buffer(data.consumeBytes(size)), events::add);
      }
      decoder.finish(events::add);
    } catch (GatewayException broken) {
      return;
    }
    if (events.isEmpty()) return;
    StreamEvent last = events.get(events.size() - 1);
    if (!(last instanceof StreamEvent.End) && !(last instanceof StreamEvent.Error)) {
      throw new IllegalStateException("the stream closed without an end or an error; last event " + last);
    }
  }
}
