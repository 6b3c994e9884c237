package io.junction.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Watches a stream that is relayed unchanged to a client of the upstream's own protocol (the fast
 * path): it decides which bytes go out and learns usage, completion and in-stream errors on the way.
 */
public interface StreamTap {

  /** The bytes to forward for this upstream chunk (usually the chunk itself). */
  Buffer relay(Buffer chunk);

  /** The upstream closed; returns any bytes still to forward. */
  Buffer finish();

  /** Whether the protocol's own terminal marker was seen. */
  boolean complete();

  Usage usage();

  /** The in-stream error message, if the upstream sent one. */
  String error();

  /**
   * The event that ends this relayed stream in failure, in the stream's own terms (the Responses
   * API's {@code response.failed}, which continues the stream's sequence numbers), or null to let
   * the client protocol's encoder write its error event.
   */
  default Buffer failureEvent(String message) { return null; }

  /** The default tap: runs the protocol's full decoder alongside and forwards bytes untouched. */
  static StreamTap decoding(StreamDecoder decoder) {
    return new StreamTap() {
      private Usage usage = Usage.ZERO;
      private boolean complete;
      private String error;

      private void observe(StreamEvent e) {
        switch (e) {
          case StreamEvent.Start s -> usage = usage.merge(s.usage());
          case StreamEvent.UsageReport u -> usage = usage.merge(u.usage());
          case StreamEvent.End end -> complete = true;
          case StreamEvent.Error err -> error = err.message();
          default -> { }
        }
      }

      @Override public Buffer relay(Buffer chunk) {
        decoder.feed(chunk, this::observe);
        return chunk;
      }

      @Override public Buffer finish() {
        decoder.finish(this::observe);
        return Buffer.buffer();
      }

      @Override public boolean complete() { return complete && error == null; }

      @Override public Usage usage() { return usage; }

      @Override public String error() { return error; }
    };
  }
}
