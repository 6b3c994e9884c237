package io.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The fast-path relay of OpenAI chunk streams: byte-for-byte forwarding, usage accounting, completeness. */
class OpenAiStreamTapTest {
  private static final String CONTENT =
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}\n\n";
  private static final String FINISH =
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
  private static final String USAGE =
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\": {\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  /** Feeds the stream in pieces of {@code size} bytes and returns what was forwarded. */
  private static String relay(OpenAiStreamTap tap, String stream, int size) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < stream.length(); i += size) {
      out.append(tap.relay(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + size)))).toString());
    }
    return out.append(tap.finish().toString()).toString();
  }

  @Test
  void forwardsEventsByteForByteWhateverTheChunking() {
    String stream = CONTENT + CONTENT + FINISH + USAGE + DONE;
    for (int size : new int[] {stream.length(), 1, 7, 100}) {
      OpenAiStreamTap tap = new OpenAiStreamTap(true);
      assertThat(relay(tap, stream, size)).as("pieces of %d", size).isEqualTo(stream);
      assertThat(tap.usage().inputTokens()).isEqualTo(7);
      assertThat(tap.usage().outputTokens()).isEqualTo(3);
      assertThat(tap.complete()).isTrue();
      assertThat(tap.error()).isNull();
    }
  }

  @Test
  void usageChunkIsCountedButDroppedWhenTheClientDidNotAskForIt() {
    for (int size : new int[] {1000, 13}) {
      OpenAiStreamTap tap = new OpenAiStreamTap(false);
      assertThat(relay(tap, CONTENT + FINISH + USAGE + DONE, size)).isEqualTo(CONTENT + FINISH + DONE);
      assertThat(tap.usage().inputTokens()).isEqualTo(7);
    }
  }

  @Test
  void nullUsageIsNotUsage() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    assertThat(relay(tap, CONTENT + FINISH + DONE, 1000)).isEqualTo(CONTENT + FINISH + DONE);
    assertThat(tap.usage().inputTokens()).isZero();
  }

  @Test
  void aFinishReasonCompletesAStreamWithoutDone() {
    OpenAiStreamTap finished = new OpenAiStreamTap(true);
    relay(finished, CONTENT + FINISH, 1000);
    assertThat(finished.complete()).isTrue();

    OpenAiStreamTap cut = new OpenAiStreamTap(true);
    relay(cut, CONTENT + CONTENT.substring(0, 40), 1000);
    assertThat(cut.complete()).isFalse();
  }

  @Test
  void anErrorEventIsForwardedAndReported() {
    String error = "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n";
    OpenAiStreamTap tap = new OpenAiStreamTap(true);
    assertThat(relay(tap, CONTENT + error, 1000)).isEqualTo(CONTENT + error);
    assertThat(tap.error()).isEqualTo("The server had an error");
    assertThat(tap.complete()).isFalse();
  }

  /** Regression: "[DONE]" in the text of a delta is not the end of the stream; only a data: [DONE] line is. */
  @Test
  void doneInsideTextIsNotTheEnd() {
    String delta = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"say [DONE] when done\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    OpenAiStreamTap tap = new OpenAiStreamTap(true);
    assertThat(relay(tap, CONTENT + delta, 1000)).isEqualTo(CONTENT + delta);
    assertThat(tap.complete()).isFalse();
    assertThat(tap.error()).isEqualTo("Upstream stream ended before it was complete");
  }

  @Test
  void doneWithoutAFinishReasonIsAnError() {
    OpenAiStreamTap tap = new OpenAiStreamTap(true);
    relay(tap, CONTENT + DONE, 1000);
    assertThat(tap.complete()).isFalse();
    assertThat(tap.error()).isEqualTo("Upstream stream ended without a finish reason");
  }

  /** Regression: CR-only and CRLF line ends are SSE too; the old tap only knew LF. */
  @Test
  void crOnlyAndCrlfStreamsAreRelayedAndRead() {
    String lf = CONTENT + FINISH + USAGE + DONE;
    for (String end : new String[] {"\r", "\r\n"}) {
      String stream = lf.replace("\n", end);
      String withoutUsage = (CONTENT + FINISH + DONE).replace("\n", end);
      for (int size = 1; size <= stream.length(); size += 17) {
        OpenAiStreamTap wants = new OpenAiStreamTap(true);
        assertThat(relay(wants, stream, size)).isEqualTo(stream);
        assertThat(wants.usage().inputTokens()).isEqualTo(7);
        assertThat(wants.complete()).isTrue();

        OpenAiStreamTap doesNot = new OpenAiStreamTap(false);
        assertThat(relay(doesNot, stream, size)).as("pieces of %d", size).isEqualTo(withoutUsage);
        assertThat(doesNot.usage().outputTokens()).isEqualTo(3);
        assertThat(doesNot.complete()).isTrue();
      }
    }
  }

  @Test
  void theUsageChunkIsDroppedWhereverTheStreamIsCut() {
    String stream = CONTENT + FINISH + USAGE + DONE;
    for (int cut = 0; cut <= stream.length(); cut++) {
      OpenAiStreamTap tap = new OpenAiStreamTap(false);
      String out = tap.relay(Buffer.buffer(stream.substring(0, cut))).toString()
          + tap.relay(Buffer.buffer(stream.substring(cut))).toString() + tap.finish().toString();
      assertThat(out).as("cut at %d", cut).isEqualTo(CONTENT + FINISH + DONE);
      assertThat(tap.usage().inputTokens()).isEqualTo(7);
      assertThat(tap.complete()).isTrue();
    }
  }

  @Test
  void anEventOverEightMebibytesIsAnError() {
    OpenAiStreamTap tap = new OpenAiStreamTap(true);
    Buffer out = tap.relay(Buffer.buffer(CONTENT));
    String big = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}}]}\n\n";
    out.appendBuffer(tap.relay(Buffer.buffer(big)));
    out.appendBuffer(tap.finish());
    assertThat(out.toString()).isEqualTo(CONTENT);
    assertThat(tap.error()).isEqualTo("Upstream sent a stream event over 8 MiB");
    assertThat(tap.complete()).isFalse();
  }

  @Test
  void anUnchangedChunkOfWholeEventsIsReturnedAsItIs() {
    OpenAiStreamTap tap = new OpenAiStreamTap(true);
    Buffer chunk = Buffer.buffer(CONTENT + FINISH);
    assertThat(tap.relay(chunk)).isSameAs(chunk);
  }
}
