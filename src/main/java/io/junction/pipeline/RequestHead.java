package io.junction.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * What routing and accounting need from a request body, read by one streaming pass over its top
 * level (nested values are skipped, not built): the model, the stream flag, the end user, OpenAI's
 * {@code stream_options.include_usage}, the output cap, and where the model's and
 * {@code stream_options}' bytes are, so that the relay can splice them without re-serialising.
 * The pass still tokenises the whole body, so malformed JSON is refused here with a 400.
 */
public record RequestHead(
    String model,
    boolean stream,
    String user,
    boolean includeUsage,
    long maxOutputTokens,
    /** Byte range of the model's string value, quotes included; -1 when absent. */
    int modelStart,
    int modelEnd,
    /** Byte offset just after the '{' of {@code stream_options}, -1 when absent. */
    int streamOptionsBody,
    /** Byte range of {@code stream_options.include_usage}'s value; -1 when absent. */
    int includeUsageStart,
    int includeUsageEnd) {

  /** Reads the head of {@code body}; throws a 400 {@link GatewayException} when it is not a JSON object. */
  public static RequestHead read(byte[] body) {
    if (body.length == 0) throw GatewayException.invalid(null, "Request body is empty; expected a JSON object");
    String model = null, user = null;
    boolean stream = false, includeUsage = false;
    long maxOut = -1;
    int modelStart = -1, modelEnd = -1, soBody = -1, iuStart = -1, iuEnd = -1;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw GatewayException.invalid(null, "Request body must be a JSON object");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "model" -> {
            if (v == JsonToken.VALUE_STRING) {
              modelStart = (int) p.currentTokenLocation().getByteOffset();
              model = p.getText();
              modelEnd = (int) p.currentLocation().getByteOffset();
            } else if (v != JsonToken.VALUE_NULL) {
              throw GatewayException.invalid("model", "'model' must be a string");
            }
          }
          case "stream" -> {
            if (v == JsonToken.VALUE_TRUE) stream = true;
            else if (v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) throw GatewayException.invalid("stream", "'stream' must be a boolean");
          }
          case "user" -> user = v == JsonToken.VALUE_STRING ? p.getText() : skip(p, v);
          case "metadata" -> {
            if (v == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken mv = p.nextToken();
                if ("user_id".equals(f) && mv == JsonToken.VALUE_STRING && user == null) user = p.getText();
                else p.skipChildren();
              }
            } else {
              p.skipChildren();
            }
          }
          case "stream_options" -> {
            if (v == JsonToken.START_OBJECT) {
              soBody = (int) p.currentLocation().getByteOffset();
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken ov = p.nextToken();
                if ("include_usage".equals(f) && (ov == JsonToken.VALUE_TRUE || ov == JsonToken.VALUE_FALSE)) {
                  includeUsage = ov == JsonToken.VALUE_TRUE;
                  iuStart = (int) p.currentTokenLocation().getByteOffset();
                  iuEnd = (int) p.currentLocation().getByteOffset();
                } else {
                  p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          case "max_tokens", "max_completion_tokens", "max_output_tokens" -> {
            if (v == JsonToken.VALUE_NUMBER_INT) maxOut = Math.max(maxOut, p.getLongValue());
            else p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) throw GatewayException.invalid(null, "Request body is not valid JSON");
      if (p.nextToken() != null) throw GatewayException.invalid(null, "Request body has content after its JSON object");
    } catch (StreamConstraintsException e) {
      throw GatewayException.invalid(null, "Request body is not acceptable: " + firstLine(e));
    } catch (IOException e) {
      throw GatewayException.invalid(null, "Request body is not valid JSON: " + firstLine(e));
    }
    return new RequestHead(model, stream, user, includeUsage, maxOut, modelStart, modelEnd, soBody, iuStart, iuEnd);
  }

  private static String skip(JsonParser p, JsonToken v) throws IOException {
    p.skipChildren();
    return null;
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
  }

  /**
   * The body with the model replaced by {@code upstreamModel} (added when absent) and, when
   * {@code forceUsage}, OpenAI's {@code stream_options.include_usage} turned on: byte splices, the
   * rest of the body untouched.
   */
  public Buffer rewrite(byte[] body, String upstreamModel, boolean replaceModel, boolean forceUsage) {
    byte[] modelJson = replaceModel ? quoted(upstreamModel) : null;
    Buffer out = Buffer.buffer(body.length + (modelJson == null ? 0 : modelJson.length) + 48);
    boolean addModel = replaceModel && modelStart < 0;
    boolean addOptions = forceUsage && !includeUsage && streamOptionsBody < 0;
    int pos = 0;
    if (addModel || addOptions) {
      // New members go first, right after the body's opening brace.
      int open = indexOfOpenBrace(body);
      out.appendBytes(body, 0, open + 1);
      if (addModel) out.appendString("\"model\":").appendBytes(modelJson);
      if (addOptions) out.appendString(addModel ? "," : "").appendString("\"stream_options\":{\"include_usage\":true}");
      if (hasMembers(body, open)) out.appendByte((byte) ',');
      pos = open + 1;
    }
    // The in-place edits, in byte order: the model's value, and include_usage inside stream_options.
    int[] modelEdit = replaceModel && modelStart >= 0 ? new int[] {modelStart, modelEnd, 0} : null;
    int[] usageEdit = !forceUsage || includeUsage || addOptions ? null
        : includeUsageStart >= 0 ? new int[] {includeUsageStart, includeUsageEnd, 1} : new int[] {streamOptionsBody, streamOptionsBody, 2};
    int[] first = modelEdit, second = usageEdit;
    if (first == null || (second != null && second[0] < first[0])) {
      first = usageEdit;
      second = modelEdit;
    }
    for (int[] e : new int[][] {first, second}) {
      if (e == null) continue;
      out.appendBytes(body, pos, e[0] - pos);
      switch (e[2]) {
        case 0 -> out.appendBytes(modelJson);
        case 1 -> out.appendString("true");
        default -> out.appendString(hasMembers(body, e[0] - 1) ? "\"include_usage\":true," : "\"include_usage\":true");
      }
      pos = e[1];
    }
    out.appendBytes(body, pos, body.length - pos);
    return out;
  }

  private static byte[] quoted(String s) {
    try {
      return Json.MAPPER.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int indexOfOpenBrace(byte[] body) {
    for (int i = 0; i < body.length; i++) if (body[i] == '{') return i;
    throw new IllegalStateException("not an object");
  }

  /** Whether the object whose '{' is at {@code open} has any member (next non-blank byte is not '}'). */
  private static boolean hasMembers(byte[] body, int open) {
    for (int i = open + 1; i < body.length; i++) {
      byte b = body[i];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
      return b != '}';
    }
    return false;
  }
}
