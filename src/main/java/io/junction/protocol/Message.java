package io.junction.protocol;

import java.util.ArrayList;
import java.util.List;

/** One turn of the conversation. Tool results are parts of a USER or TOOL message. */
public final class Message {
  public Role role;
  public final List<Part> parts = new ArrayList<>();
  /** Optional participant name (OpenAI {@code name}). */
  public String name;

  public Message(Role role) { this.role = role; }

  public static Message of(Role role, Part... parts) {
    Message m = new Message(role);
    m.parts.addAll(List.of(parts));
    return m;
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) if (p instanceof Part.Text t) sb.append(t.text());
    return sb.toString();
  }
}
