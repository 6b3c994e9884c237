package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The skeleton every SSE upstream decoder shares, so each protocol only says what its JSON events
 * mean. It frames with {@link SseFramer} (an event over 8 MiB ends the stream in an error), parses
 * each {@code data:} payload as JSON (bad JSON ends the stream in the protocol's
 * own error), keeps the terminal state (after {@link #end()} or {@link #fail} nothing more is
 * emitted), and on close emits {@link StreamEvent.End} if the stream is complete, else the
 * protocol's "incomplete stream" error.
 */
public abstract class SseStreamDecoder implements StreamDecoder {

  private final SseFramer framer = new SseFramer(this::onEvent);
  private final StreamEvent.Error invalidJson;
  private final StreamEvent.Error incomplete;
  private Consumer<StreamEvent> out;
  private boolean finished;
  private boolean terminated;

  /**
   * @param invalidJson emitted when a payload is not JSON
   * @param incomplete emitted when the upstream closes before the stream ended (and before {@link #markFinished()})
   */
  protected SseStreamDecoder(StreamEvent.Error invalidJson, StreamEvent.Error incomplete) {
    this.invalidJson = invalidJson;
    this.incomplete = incomplete;
  }

  @Override
  public final void feed(Buffer chunk, Consumer<StreamEvent> out) {
    this.out = out;
    if (terminated) return;
    framer.feed(chunk);
    if (!terminated && framer.error() != null) fail(new StreamEvent.Error(invalidJson.type(), framer.error()));
  }

  @Override
  public final void finish(Consumer<StreamEvent> out) {
    this.out = out;
    if (!terminated) framer.finish(); // an event left without its closing blank line
    if (terminated) return;
    if (finished) end();
    else fail(incomplete);
  }

  private void onEvent(SseFramer.Event e) {
    if (!terminated && e.hasData()) onPayload(e.name(), e.data());
  }

  /**
   * One event's raw data. Override to handle payloads that are not JSON (OpenAI's {@code [DONE]}),
   * then call {@code super} for the rest.
   */
  protected void onPayload(String event, String data) {
    JsonNode json;
    try {
      json = Json.parse(data);
    } catch (IOException e) {
      fail(invalidJson);
      return;
    }
    onJson(event, json);
  }

  /** One event's JSON payload; {@code event} is the SSE event name, null when there was none. */
  protected abstract void onJson(String event, JsonNode data);

  protected final void emit(StreamEvent event) { out.accept(event); }

  /** Ends the stream in an error; later events are dropped. */
  protected final void fail(String type, String message) { fail(new StreamEvent.Error(type, message)); }

  private void fail(StreamEvent.Error error) {
    terminated = true;
    out.accept(error);
  }

  /** The protocol's end marker arrived: emits End; later events are dropped. */
  protected final void end() {
    terminated = true;
    out.accept(new StreamEvent.End());
  }

  /**
   * A finish reason was seen, so a close from now on is a clean end (Gemini has no end marker;
   * some OpenAI-compatible servers omit {@code [DONE]}). Events keep flowing (e.g. a usage chunk).
   */
  protected final void markFinished() { finished = true; }

  protected final boolean finished() { return finished; }
}
