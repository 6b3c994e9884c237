package io.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Responses API event stream as a client relies on it: every event named as its type,
 * sequence numbers strictly increasing, {@code response.created} first, every output item added
 * once and done once (and its content parts and deltas in between), and a terminal event last whose
 * Response contains every done item, in output order.
 */
public final class ResponsesEvents {
  private ResponsesEvents() {}

  public record Event(String name, JsonNode data) {}

  public static List<Event> parse(String sse) {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((name, data) -> {
      try {
        events.add(new Event(name, Json.parse(data)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    parser.feed(Buffer.buffer(sse));
    parser.finish();
    return events;
  }

  /** Checks a complete stream and returns its final Response object. */
  public static JsonNode checkComplete(String sse) {
    List<Event> events = parse(sse);
    JsonNode last = checkSequence(events, true);
    assertThat(last.path("type").asText()).as("terminal event").isIn("response.completed", "response.incomplete");
    JsonNode response = last.path("response");
    Map<Integer, JsonNode> done = new HashMap<>();
    for (Event e : events) if (e.data.path("type").asText().equals("response.output_item.done")) done.put(e.data.path("output_index").asInt(), e.data.path("item"));
    assertThat(response.path("output").size()).as("items in the final response").isEqualTo(done.size());
    for (int i = 0; i < done.size(); i++) assertThat(response.path("output").get(i)).as("output[" + i + "]").isEqualTo(done.get(i));
    return response;
  }

  /** Checks a stream that ended in {@code response.failed}; returns that event's Response. */
  public static JsonNode checkFailed(String sse) {
    List<Event> events = parse(sse);
    JsonNode last = events.get(events.size() - 1).data;
    assertThat(last.path("type").asText()).isEqualTo("response.failed");
    assertThat(events).noneMatch(e -> e.data.path("type").asText().equals("response.completed"));
    checkSequence(events, false);
    return last.path("response");
  }

  private static JsonNode checkSequence(List<Event> events, boolean allClosed) {
    assertThat(events).as("events").isNotEmpty();
    assertThat(events.get(0).data.path("type").asText()).isEqualTo("response.created");
    long previous = -1;
    Set<Integer> open = new HashSet<>();
    Set<Integer> closed = new HashSet<>();
    Map<Integer, String> ids = new HashMap<>();
    Set<String> openParts = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      String type = e.data.path("type").asText();
      assertThat(e.name).as("event name of " + e.data).isEqualTo(type);
      assertThat(e.data.has("sequence_number")).as("sequence_number in " + type).isTrue();
      long seq = e.data.get("sequence_number").asLong();
      assertThat(seq).as("sequence_number of " + type).isGreaterThan(previous);
      previous = seq;
      boolean terminal = type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed");
      if (terminal) assertThat(i).as("terminal event is last").isEqualTo(events.size() - 1);
      int index = e.data.path("output_index").asInt(-1);
      String itemId = e.data.path("item_id").asText(null);
      switch (type) {
        case "response.output_item.added" -> {
          assertThat(open.add(index) && !closed.contains(index)).as("output_index " + index + " added once").isTrue();
          ids.put(index, e.data.path("item").path("id").asText());
        }
        case "response.output_item.done" -> {
          assertThat(open.remove(index)).as("output_index " + index + " done after added").isTrue();
          closed.add(index);
          assertThat(e.data.path("item").path("id").asText()).isEqualTo(ids.get(index));
          assertThat(openParts).as("parts of item " + index + " closed before it").noneMatch(p -> p.startsWith(index + "/"));
        }
        case "response.content_part.added", "response.reasoning_summary_part.added" ->
            assertThat(openParts.add(index + "/" + type.split("\\.")[1] + e.data.path("content_index").asInt(e.data.path("summary_index").asInt()))).isTrue();
        case "response.content_part.done", "response.reasoning_summary_part.done" ->
            assertThat(openParts.remove(index + "/" + type.split("\\.")[1] + e.data.path("content_index").asInt(e.data.path("summary_index").asInt()))).isTrue();
        default -> { }
      }
      if (itemId != null) {
        assertThat(open).as(type + " inside its item").contains(index);
        assertThat(ids.get(index)).as(type + " item_id").isEqualTo(itemId);
      }
    }
    if (allClosed) assertThat(open).as("items left open").isEmpty();
    return events.get(events.size() - 1).data;
  }
}
