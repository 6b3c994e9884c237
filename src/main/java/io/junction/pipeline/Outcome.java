package io.junction.pipeline;

/** How a call ended, as the request log records it: the status the client got (499 when it left) and the error, if any. */
public record Outcome(int status, String error) {
  public static final Outcome OK = new Outcome(200, null);

  public boolean ok() { return error == null && status < 400; }
}
