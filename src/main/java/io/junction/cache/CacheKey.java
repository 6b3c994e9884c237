package io.junction.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key: SHA-256 over the parts that decide an answer (who asks, in which protocol, for
 * which route; see {@code pipeline.Caching}) and the request body in a canonical form — parsed and
 * written again with every object's keys sorted, so key order and whitespace do not matter. No
 * field is dropped: even those that do not change the text ({@code user}, {@code metadata}) are
 * echoed in some protocols' answers (the Responses API returns both), so two bodies share a key
 * only when they say the same thing.
 */
public final class CacheKey {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      // Which of two repeated keys an upstream honours is its own business: such a body is not cached.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // Decimals kept exactly, so two different numbers never write the same text.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();

  private CacheKey() {}

  /** The body as one JSON object for keying, or null when it is not one (or repeats a key): not cacheable. */
  public static ObjectNode parse(byte[] body) {
    try {
      return CANONICAL.readTree(body) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The key of {@code body} (from {@link #parse}) asked with {@code parts}; each part may be null. */
  public static String of(List<String> parts, ObjectNode body) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    // Each part length-prefixed: ("ab", "c") and ("a", "bc") must not collide.
    for (String part : parts) {
      byte[] b = part == null ? null : part.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(b == null ? -1 : b.length).array());
      if (b != null) sha.update(b);
    }
    try {
      sha.update(CANONICAL.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree writes", e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
