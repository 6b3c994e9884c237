package io.junction.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The canonical chat request every inbound codec decodes to and every upstream codec encodes
 * from. Mutable on purpose: codecs fill it field by field, routing sets {@link #model}.
 */
public final class ChatRequest {
  /** Model name as the client sent it (routing replaces it with the upstream name). */
  public String model;
  /** System and developer prompts, in order. */
  public final List<Part> system = new ArrayList<>();
  public final List<Message> messages = new ArrayList<>();
  public final List<Tool> tools = new ArrayList<>();
  public ToolChoice toolChoice;
  public Boolean parallelToolCalls;
  public Integer maxTokens;
  public Double temperature;
  public Double topP;
  public Integer topK;
  public final List<String> stop = new ArrayList<>();
  public ResponseFormat responseFormat;
  public Reasoning reasoning;
  public Integer n;
  public Long seed;
  public Double presencePenalty;
  public Double frequencyPenalty;
  public boolean stream;
  /** OpenAI {@code stream_options.include_usage}: the client wants a final usage chunk. */
  public boolean includeUsage;
  /** End-user id (OpenAI {@code user}, Anthropic {@code metadata.user_id}). */
  public String user;
  /**
   * What the inbound codec keeps between decoding a request and encoding its answer (the Responses
   * API echoes request fields in its answer); null for codecs that need nothing.
   */
  public Object inboundContext;

  public String systemText() {
    StringBuilder sb = new StringBuilder();
    for (Part p : system) {
      if (p instanceof Part.Text t) {
        if (!sb.isEmpty()) sb.append("\n\n");
        sb.append(t.text());
      }
    }
    return sb.toString();
  }
}
