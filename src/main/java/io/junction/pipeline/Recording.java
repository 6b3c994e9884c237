package io.junction.pipeline;

import io.vertx.core.buffer.Buffer;

/**
 * The answer as it went to the client, kept for the response cache: every byte written (after
 * {@code Secrets#scrub}), up to a limit past which recording stops and the answer is not stored.
 * {@link #finished} is said only once the last bytes went out — the JSON body, or the stream's end
 * with its end marker — so a stream cut short never looks complete.
 */
final class Recording {
  private final int limit;
  private Buffer bytes = Buffer.buffer();
  private String contentType;
  private boolean streamed;
  private boolean finished;

  Recording(int limit) { this.limit = limit; }

  void append(Buffer b) {
    if (bytes == null) return;
    if (bytes.length() + b.length() > limit) {
      bytes = null; // too large to store: stop holding it
      return;
    }
    bytes.appendBuffer(b);
  }

  void finished(String contentType, boolean streamed) {
    this.contentType = contentType;
    this.streamed = streamed;
    this.finished = true;
  }

  /** Whether the whole answer is here, within the limit. */
  boolean complete() { return finished && bytes != null; }

  Buffer bytes() { return bytes; }

  String contentType() { return contentType; }

  boolean streamed() { return streamed; }
}
