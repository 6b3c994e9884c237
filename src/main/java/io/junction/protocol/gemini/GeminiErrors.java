package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.vertx.core.buffer.Buffer;

/** Google's error body: {@code {"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}}. */
final class GeminiErrors {
  private GeminiErrors() {}

  /** The google.rpc.Code name Google's HTTP mapping uses for a status. */
  static String rpcStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 422 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 502, 503 -> "UNAVAILABLE";
      case 408, 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
    };
  }

  /** The error object alone (streams embed it as an element or SSE payload). */
  static ObjectNode errorObject(GatewayException error) {
    ObjectNode inner = Json.object();
    inner.put("code", error.status);
    inner.put("message", error.getMessage() == null ? "Unknown error" : error.getMessage());
    inner.put("status", rpcStatus(error.status));
    if (error.param != null) {
      // google.rpc.BadRequest, which Google's own 400s carry to name the offending field.
      ObjectNode violation = Json.object().put("field", error.param).put("description", inner.get("message").asText());
      ObjectNode badRequest = Json.object().put("@type", "type.googleapis.com/google.rpc.BadRequest");
      badRequest.putArray("fieldViolations").add(violation);
      inner.putArray("details").add(badRequest);
    }
    ObjectNode outer = Json.object();
    outer.set("error", inner);
    return outer;
  }

  static Buffer encode(GatewayException error) {
    if (error.upstreamBody != null && error.upstreamProtocol == Protocol.GEMINI) return error.upstreamBody;
    return Json.buffer(errorObject(error));
  }

  /** The message of a Gemini error body; never throws. Streams in array form wrap it in an array. */
  static String message(int status, Buffer body) {
    try {
      JsonNode root = body == null || body.length() == 0 ? null : Json.parse(body);
      if (root != null && root.isArray() && !root.isEmpty()) root = root.get(0);
      JsonNode message = root == null ? null : root.path("error").path("message");
      if (message != null && message.isTextual() && !message.asText().isBlank()) return message.asText();
    } catch (Exception ignored) {
      // Not JSON: fall through to the generic message.
    }
    return "Gemini returned HTTP " + status;
  }
}
