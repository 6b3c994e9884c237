package io.junction.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Server-Sent Events as (event name, data) pairs, for code that wants the text of every event.
 * The framing is {@link SseFramer}'s: WHATWG line ends, comments ignored, multi-line data joined
 * with LF, one event over 8 MiB stops it with {@link #error()}.
 */
public final class SseParser {

  /** Receives one complete event. {@code event} is null when the event had no event: line. */
  public interface Listener {
    void onEvent(String event, String data);
  }

  private final SseFramer framer;

  public SseParser(Listener listener) {
    this.framer = new SseFramer(e -> {
      if (e.hasData()) listener.onEvent(e.name(), e.data());
    });
  }

  public void feed(Buffer chunk) { framer.feed(chunk); }

  /** Flushes an event left without its closing blank line (some servers end that way). */
  public void finish() { framer.finish(); }

  /** Why parsing stopped (an event over the size limit), or null. */
  public String error() { return framer.error(); }
}
