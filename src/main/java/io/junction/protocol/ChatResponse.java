package io.junction.protocol;

import java.util.ArrayList;
import java.util.List;

/** The canonical non-streaming answer: content parts (text, tool calls, thinking), why it stopped, usage. */
public final class ChatResponse {
  public String id;
  public String model;
  public final List<Part> content = new ArrayList<>();
  public FinishReason finishReason = FinishReason.STOP;
  /** The stop sequence that ended generation, when the upstream says. */
  public String stopSequence;
  public Usage usage = Usage.ZERO;
  public long created = System.currentTimeMillis() / 1000;

  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Part p : content) if (p instanceof Part.Text t) sb.append(t.text());
    return sb.toString();
  }

  public List<Part.ToolCall> toolCalls() {
    List<Part.ToolCall> out = new ArrayList<>();
    for (Part p : content) if (p instanceof Part.ToolCall c) out.add(c);
    return out;
  }
}
