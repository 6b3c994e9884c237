package io.junction.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental Server-Sent Events parser (WHATWG rules: LF, CR or CRLF line ends; multi-line
 * data joined with LF; comments ignored). Bytes may arrive split anywhere.
 */
public final class SseParser {

  /** Receives one complete event. {@code event} is null when the event had no event: line. */
  public interface Listener {
    void onEvent(String event, String data);
  }

  private final Listener listener;
  private byte[] pending = new byte[0];
  private String eventName;
  private StringBuilder data;
  private boolean skipLf;

  public SseParser(Listener listener) { this.listener = listener; }

  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    byte[] buf;
    if (pending.length == 0) {
      buf = bytes;
    } else {
      buf = new byte[pending.length + bytes.length];
      System.arraycopy(pending, 0, buf, 0, pending.length);
      System.arraycopy(bytes, 0, buf, pending.length, bytes.length);
    }
    int start = 0;
    for (int i = 0; i < buf.length; i++) {
      byte b = buf[i];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') { start = i + 1; continue; }
      }
      if (b == '\n' || b == '\r') {
        line(new String(buf, start, i - start, StandardCharsets.UTF_8));
        if (b == '\r') skipLf = true;
        start = i + 1;
      }
    }
    if (start < buf.length) {
      pending = new byte[buf.length - start];
      System.arraycopy(buf, start, pending, 0, pending.length);
    } else {
      pending = new byte[0];
    }
  }

  /** Flushes an event left without its closing blank line (some servers end that way). */
  public void finish() {
    if (pending.length > 0) {
      line(new String(pending, StandardCharsets.UTF_8));
      pending = new byte[0];
    }
    dispatch();
  }

  private void line(String line) {
    if (line.isEmpty()) { dispatch(); return; }
    if (line.charAt(0) == ':') return;
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        if (data == null) data = new StringBuilder(value);
        else data.append('\n').append(value);
      }
      default -> { }
    }
  }

  private void dispatch() {
    if (data != null) listener.onEvent(eventName, data.toString());
    data = null;
    eventName = null;
  }
}
