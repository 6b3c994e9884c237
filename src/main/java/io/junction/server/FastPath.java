package io.junction.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.vertx.core.buffer.Buffer;

/**
 * The same-protocol path: the client's own body goes upstream with the minimal edits, so fields
 * the gateway does not model still reach the provider.
 */
final class FastPath {
  private FastPath() {}

  /** The client's body with the upstream model name (and, for OpenAI streams, usage reporting on). */
  static Buffer rewrite(ObjectNode body, Protocol protocol, String upstreamModel, boolean stream) {
    switch (protocol) {
      case OPENAI -> {
        body.put("model", upstreamModel);
        if (stream) {
          // The gateway accounts every stream; the relay drops the usage chunk if the client didn't ask.
          ObjectNode opts = body.get("stream_options") instanceof ObjectNode o ? o : body.putObject("stream_options");
          opts.put("include_usage", true);
        }
      }
      case ANTHROPIC, COHERE, RESPONSES -> body.put("model", upstreamModel); // Responses usage rides in response.completed
      default -> { } // Gemini and Bedrock carry the model in the URL
    }
    return Json.buffer(body);
  }
}
