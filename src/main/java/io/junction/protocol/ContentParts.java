package io.junction.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of an OpenAI-style message (Chat Completions and the Responses API): absent, a
 * string, or an array of objects each with a {@code type}. The walk and its errors are shared here;
 * what each part type means (and whether an unknown one is refused or dropped) is the protocol's.
 */
public final class ContentParts {
  private ContentParts() {}

  /** Reads one part: {@code type} is its {@code type} field (null when absent), {@code path} its place. */
  @FunctionalInterface
  public interface PartReader {
    /** The canonical part, null to drop it; a {@link GatewayException} to refuse it. */
    Part read(String type, JsonNode part, String path);
  }

  /** The parts of {@code content} (empty when absent or null), each array element read by {@code reader}. */
  public static List<Part> decode(JsonNode content, String path, PartReader reader) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) return parts;
    if (content.isTextual()) {
      parts.add(new Part.Text(content.asText()));
      return parts;
    }
    if (!content.isArray()) throw GatewayException.invalid(path, "'" + path + "' must be a string or an array of content parts");
    for (int i = 0; i < content.size(); i++) {
      JsonNode p = content.get(i);
      String pp = path + "[" + i + "]";
      if (!p.isObject()) throw GatewayException.invalid(pp, "'" + pp + "' must be an object");
      Part part = reader.read(Json.string(p, "type", pp + ".type"), p, pp);
      if (part != null) parts.add(part);
    }
    return parts;
  }

  /** A text part's required {@code text}. */
  public static Part.Text text(JsonNode part, String path) {
    String text = Json.string(part, "text", path + ".text");
    if (text == null) throw GatewayException.invalid(path + ".text", "'" + path + ".text' is required");
    return new Part.Text(text);
  }

  /** A refusal part, carried on as text. */
  public static Part.Text refusal(JsonNode part) {
    return new Part.Text(part.path("refusal").asText(""));
  }
}
