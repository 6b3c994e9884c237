package io.junction.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Client model names at the inbound edge. A name travels into upstream URLs, request lines,
 * headers, metric labels and logs, so it must be printable and short; adapters put it in a URL
 * only through {@link #pathSegment}, so {@code /}, {@code ?}, {@code %} or {@code ..} in a name
 * can never reach another path or a query.
 */
public final class ModelNames {
  /** Longer than any real model id or Bedrock ARN, short enough for a label or a log column. */
  public static final int MAX_LENGTH = 256;

  private ModelNames() {}

  /** Returns {@code model} when it is a usable name; else throws a 400 naming the field {@code model}. */
  public static String check(String model) {
    if (model == null || model.isEmpty()) throw GatewayException.invalid("model", "'model' is required");
    if (model.length() > MAX_LENGTH) {
      throw GatewayException.invalid("model", "'model' is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < model.length(); ) {
      int cp = model.codePointAt(i);
      if (!printable(cp)) {
        throw GatewayException.invalid("model", "'model' may contain only printable characters, without spaces"
            + " (found U+" + String.format("%04X", cp) + " at offset " + i + ")");
      }
      i += Character.charCount(cp);
    }
    return model;
  }

  private static boolean printable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE,
          Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  /**
   * {@code s} as exactly one URL path segment: RFC 3986 unreserved characters kept, every other
   * byte of its UTF-8 form percent-encoded ({@code /}, {@code :}, {@code ?}, {@code #}, {@code %} included).
   */
  public static String pathSegment(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
