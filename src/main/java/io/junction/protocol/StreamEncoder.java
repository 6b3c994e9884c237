package io.junction.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Turns canonical stream events into the bytes a client of one protocol expects. Stateful, one
 * per stream. Each method appends to {@code out} (possibly nothing).
 */
public interface StreamEncoder {

  void encode(StreamEvent event, Buffer out);

  /**
   * The stream broke after bytes reached the client: append this protocol's error event and
   * end the stream so that it looks incomplete (never a clean ending).
   */
  void fail(GatewayException error, Buffer out);
}
