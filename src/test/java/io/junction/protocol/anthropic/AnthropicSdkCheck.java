package io.junction.protocol.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.junction.protocol.SseParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Junction's Anthropic output with the official anthropic-java SDK models, which reject
 * missing required fields and wrong types: the closest offline check against the real wire format.
 */
final class AnthropicSdkCheck {
  private AnthropicSdkCheck() {}

  static Message message(Buffer json) throws Exception {
    return ObjectMappers.jsonMapper().readValue(json.getBytes(), Message.class).validate();
  }

  /** SSE names and data, each event validated by the SDK and checked to name its own type. */
  static List<String[]> events(Buffer sse) {
    List<String[]> events = new ArrayList<>();
    SseParser parser = new SseParser((name, data) -> events.add(new String[] {name, data}));
    parser.feed(sse);
    parser.finish();
    return events;
  }

  /** The message an SDK client ends up with after consuming the stream (ping and error events excluded). */
  static Message accumulate(Buffer sse) throws Exception {
    MessageAccumulator acc = MessageAccumulator.create();
    for (String[] e : events(sse)) {
      if (e[0].equals("ping") || e[0].equals("error")) continue;
      RawMessageStreamEvent event = ObjectMappers.jsonMapper().readValue(e[1], RawMessageStreamEvent.class).validate();
      acc.accumulate(event);
    }
    return acc.message();
  }
}
