package io.junction.protocol;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts estimated with the o200k_base tokenizer, for count_tokens when a provider has no
 * count endpoint and for usage when an upstream reports none. Other vendors' tokenizers differ,
 * so the numbers are estimates, close enough for budgets and context checks.
 */
public final class TokenEstimator {
  /** Per-message framing (role markers, separators), as in OpenAI's published counting recipe. */
  static final int PER_MESSAGE = 3;
  /** Priming of the assistant's reply. */
  static final int PER_REQUEST = 3;
  /** Per tool definition, on top of its name, description and schema text. */
  static final int PER_TOOL = 8;
  /** An image of typical size: OpenAI's high-detail 512x512 cost (85 + 4 tiles x 170). */
  static final int PER_IMAGE = 765;

  private TokenEstimator() {}

  /** Loading the encoding reads a large vocabulary file: done once, on first use. */
  private static final class Holder {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  /** Tokens of plain text; special-token strings in the text count as ordinary text. */
  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : Holder.ENCODING.countTokensOrdinary(text);
  }

  public static int estimateInput(ChatRequest req) {
    int tokens = PER_REQUEST;
    if (!req.system.isEmpty()) tokens += PER_MESSAGE + parts(req.system);
    for (Message m : req.messages) tokens += PER_MESSAGE + parts(m.parts) + count(m.name);
    for (Tool t : req.tools) {
      tokens += PER_TOOL + count(t.name()) + count(t.description());
      if (t.parameters() != null) tokens += count(Json.text(t.parameters()));
    }
    return tokens;
  }

  /** Output tokens of an answer: text, thinking and tool calls. */
  public static int estimateOutput(ChatResponse response) {
    return parts(response.content);
  }

  private static int parts(Iterable<Part> parts) {
    int tokens = 0;
    for (Part p : parts) tokens += part(p);
    return tokens;
  }

  private static int part(Part p) {
    return switch (p) {
      case Part.Text t -> count(t.text());
      case Part.Image img -> PER_IMAGE;
      case Part.ToolCall c -> count(c.name()) + count(c.arguments());
      case Part.ToolResult r -> count(r.name()) + parts(r.content());
      case Part.Thinking th -> count(th.text());
    };
  }
}
