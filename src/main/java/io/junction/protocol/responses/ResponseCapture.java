package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a capturing {@link ResponsesCodec} puts the final Response object a client is given. */
public final class ResponseCapture {
  private boolean wanted;
  private ObjectNode response;
  private String previousResponseId;

  /** The request continues {@code id}, whose turns were spliced into its body: its answer still names it. */
  public void continues(String id) { previousResponseId = id; }

  String previousResponseId() { return previousResponseId; }

  /** The response is to be kept: from now on the codec hands it over (until then it does no work for it). */
  public void want() { wanted = true; }

  boolean wanted() { return wanted; }

  void set(ObjectNode r) { if (wanted) response = r; }

  /** The final Response object, or null when none was produced (an error, a broken stream). */
  public ObjectNode response() { return response; }
}
