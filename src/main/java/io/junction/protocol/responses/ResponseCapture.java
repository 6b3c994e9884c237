package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a capturing {@link ResponsesCodec} puts the final Response object a client is given. */
public final class ResponseCapture {
  private volatile ObjectNode response;

  void set(ObjectNode r) { response = r; }

  /** The final Response object, or null when none was produced (an error, a broken stream). */
  public ObjectNode response() { return response; }
}
