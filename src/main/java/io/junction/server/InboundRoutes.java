package io.junction.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Call;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.Headers;
import io.junction.pipeline.Pipeline;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.Codecs;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.InboundCodec;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.provider.Provider;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** The client-facing API (CONTRACT §4): each call becomes a {@link Call} run through the {@link Pipeline}. */
final class InboundRoutes {
  private final Gateway gw;
  private final Pipeline pipeline;

  InboundRoutes(Gateway gw, Pipeline pipeline) {
    this.gw = gw;
    this.pipeline = pipeline;
  }

  /**
   * A chat call in any protocol. {@code pathModel} is the model from the URL (Gemini), {@code
   * pathStream} overrides the body's stream flag (Gemini's method names say it), and {@code
   * passthroughAllowed} is false when the client wants a stream framing the upstream can't give as-is.
   */
  void chat(RoutingContext ctx, InboundCodec codec, String pathModel, Boolean pathStream, boolean passthroughAllowed) {
    pipeline.run(Call.of(ctx, Call.Operation.CHAT, codec, pathModel, pathStream, passthroughAllowed));
  }

  void embeddings(RoutingContext ctx) {
    pipeline.run(Call.of(ctx, Call.Operation.EMBEDDINGS, Codecs.inbound(Protocol.OPENAI), null, false, true));
  }

  /** {@code GET /v1/models} in OpenAI's shape: every served model name and virtual model. */
  void listModels(RoutingContext ctx) {
    InboundCodec codec = Codecs.inbound(Protocol.OPENAI);
    try {
      gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ObjectNode root = Json.object().put("object", "list");
      ArrayNode data = root.putArray("data");
      servedModels().forEach((model, owner) ->
          data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", owner));
      ctx.response().putHeader("content-type", "application/json").end(Json.buffer(root));
    } catch (GatewayException e) {
      sendError(ctx, codec, e, RequestIds.of(ctx.request()));
    }
  }

  /** Model name to the provider (or "junction" for virtual models) that serves it, in config order. */
  Map<String, String> servedModels() {
    Map<String, String> models = new LinkedHashMap<>();
    var snapshot = gw.registry().snapshot();
    for (Provider p : snapshot.providers()) {
      if (!p.config.enabled()) continue;
      for (String m : p.listedModels()) models.putIfAbsent(m, p.name());
      for (String m : p.discovered) models.putIfAbsent(m, p.name());
    }
    for (String vm : snapshot.virtualModels().keySet()) models.putIfAbsent(vm, "junction");
    return models;
  }

  /** A whole JSON object body, for the side routes that decode fully (token counting). */
  static ObjectNode parseBody(Buffer body) {
    if (body == null || body.length() == 0) throw GatewayException.invalid(null, "Request body is empty; expected a JSON object");
    JsonNode n;
    try {
      n = Json.parse(body);
    } catch (java.io.IOException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw GatewayException.invalid(null, "Request body is not valid JSON: " + detail);
    }
    if (!(n instanceof ObjectNode o)) throw GatewayException.invalid(null, "Request body must be a JSON object");
    return o;
  }

  static void sendError(RoutingContext ctx, InboundCodec codec, Throwable err, String requestId) {
    if (ctx.response().ended()) return;
    GatewayException e = err instanceof GatewayException ge ? ge
        : new GatewayException(ErrorKind.API_ERROR, 500, "internal_error", null, "Internal gateway error");
    ctx.response().setStatusCode(e.status);
    Headers.common(ctx.response(), requestId, null, 0);
    if (e.retryAfterSeconds >= 0) ctx.response().putHeader("retry-after", Long.toString(e.retryAfterSeconds));
    ctx.response().putHeader("content-type", "application/json").end(codec.encodeError(e));
  }
}
