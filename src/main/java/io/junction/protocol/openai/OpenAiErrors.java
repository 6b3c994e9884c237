package io.junction.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.vertx.core.buffer.Buffer;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static Buffer encode(GatewayException e) {
    ObjectNode root = Json.object();
    ObjectNode err = root.putObject("error");
    err.put("message", e.getMessage());
    err.put("type", type(e));
    if (e.param == null) err.putNull("param");
    else err.put("param", e.param);
    if (e.code == null) err.putNull("code");
    else err.put("code", e.code);
    return Json.buffer(root);
  }

  private static String type(GatewayException e) {
    return switch (e.kind) {
      case INVALID_REQUEST, NOT_FOUND, REQUEST_TOO_LARGE -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case RATE_LIMIT -> "rate_limit_error";
      case TIMEOUT -> "timeout_error";
      case API_ERROR, BAD_GATEWAY, OVERLOADED -> "api_error";
    };
  }

  /** The message of an upstream error body in any of the shapes compatible servers use. */
  static String message(int status, Buffer body) {
    if (body == null || body.length() == 0) return "Upstream returned HTTP " + status;
    try {
      JsonNode n = Json.parse(body);
      JsonNode err = n.get("error");
      if (err != null && err.isObject() && err.hasNonNull("message")) return err.get("message").asText();
      if (err != null && err.isTextual()) return err.asText();
      if (n.hasNonNull("message")) return n.get("message").asText();
      if (n.hasNonNull("detail")) return n.get("detail").isTextual() ? n.get("detail").asText() : Json.text(n.get("detail"));
    } catch (Exception ignored) {
      // not JSON: fall through to the raw text
    }
    String raw = body.toString();
    return "Upstream returned HTTP " + status + ": " + (raw.length() > 300 ? raw.substring(0, 300) + "…" : raw);
  }
}
