package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One piece of message content in the canonical model. */
public sealed interface Part {

  /** Plain text. {@code cacheControl} carries Anthropic's cache_control object (null elsewhere). */
  record Text(String text, JsonNode cacheControl) implements Part {
    public Text(String text) { this(text, null); }
  }

  /** An image, either by URL ({@code url} set) or inline ({@code mediaType} + base64 {@code data}). */
  record Image(String url, String mediaType, String data, String detail) implements Part {
    public static Image ofUrl(String url) { return new Image(url, null, null, null); }
    public static Image ofBase64(String mediaType, String data) { return new Image(null, mediaType, data, null); }

    /** An image by URL, except that a base64 {@code data:} URL becomes an inline image (for protocols without URLs). */
    public static Image fromUrl(String url, String detail) {
      if (url.startsWith("data:")) {
        int semi = url.indexOf(';');
        int comma = url.indexOf(',');
        if (semi > 5 && comma > semi && url.startsWith(";base64", semi)) {
          return new Image(null, url.substring(5, semi), url.substring(comma + 1), detail);
        }
      }
      return new Image(url, null, null, detail);
    }

    public boolean isInline() { return data != null; }
  }

  /** A tool call made by the assistant. {@code arguments} is the JSON text of the arguments object. */
  record ToolCall(String id, String name, String arguments) implements Part {}

  /** The result of a tool call, sent back by the user/tool side. */
  record ToolResult(String toolCallId, String name, List<Part> content, boolean isError) implements Part {
    /** The result flattened to text (what OpenAI-style tool messages carry). */
    public String text() {
      StringBuilder sb = new StringBuilder();
      for (Part p : content) if (p instanceof Text t) sb.append(t.text());
      return sb.toString();
    }
  }

  /**
   * Model reasoning. {@code signature} is Anthropic's opaque signature (must be sent back
   * unchanged); {@code redactedData} is set for Anthropic redacted_thinking blocks.
   */
  record Thinking(String text, String signature, String redactedData) implements Part {}
}
