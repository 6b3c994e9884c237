package io.junction.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns an upstream's streamed bytes into canonical events. Chunks arrive split anywhere (inside
 * an SSE line, inside a binary frame); the decoder buffers what it cannot parse yet.
 */
public interface StreamDecoder {

  void feed(Buffer chunk, Consumer<StreamEvent> out);

  /**
   * The upstream closed the stream. If it ended without the protocol's own terminal marker,
   * emit {@link StreamEvent.Error} so the client sees an incomplete stream, not a clean one.
   */
  void finish(Consumer<StreamEvent> out);
}
