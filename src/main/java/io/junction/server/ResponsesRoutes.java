package io.junction.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.auth.ClientIdentity;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Call;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.Pipeline;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.responses.ResponseCapture;
import io.junction.protocol.responses.ResponsesCodec;
import io.junction.responses.ResponsesStage;
import io.junction.responses.ResponsesState;
import io.junction.responses.ResponsesState.Viewer;
import io.junction.store.ResponseStore.StoredResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The OpenAI Responses API (CONTRACT §7): {@code POST /v1/responses} through the usual call path
 * (relayed to providers that serve it, translated for the others), with stored state for
 * {@code previous_response_id}; {@code GET}/{@code DELETE /v1/responses/{id}} and
 * {@code GET /v1/responses/{id}/input_items}. A WebSocket handshake on {@code /v1/responses}
 * (Codex tries one first) is refused with 426, the one answer on which Codex falls back to HTTP at once.
 */
final class ResponsesRoutes implements Consumer<Router> {
  private final Gateway gw;
  private final Pipeline pipeline;
  private final ResponsesState state;
  private final ResponsesCodec codec = ResponsesCodec.INSTANCE;

  ResponsesRoutes(Gateway gw, Pipeline pipeline, ResponsesState state) {
    this.gw = gw;
    this.pipeline = pipeline;
    this.state = state;
  }

  @Override
  public void accept(Router router) {
    router.post("/v1/responses").handler(this::create);
    router.get("/v1/responses").handler(this::webSocket);
    router.get("/v1/responses/:id/input_items").handler(this::inputItems);
    router.get("/v1/responses/:id").handler(this::retrieve);
    router.delete("/v1/responses/:id").handler(this::delete);
  }

  /** Every Responses call gets a codec of its own that can hand its final Response to the state stage. */
  private void create(RoutingContext ctx) {
    pipeline.run(Call.of(ctx, Call.Operation.CHAT, ResponsesCodec.capturing(new ResponseCapture()), null, null, true));
  }

  private void retrieve(RoutingContext ctx) {
    stored(ctx, r -> ctx.response().putHeader("content-type", "application/json").end(r.response()));
  }

  private void delete(RoutingContext ctx) {
    String requestId = RequestIds.of(ctx.request());
    String id = ctx.pathParam("id");
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      state.delete(id, viewer(who), Vertx.currentContext()).onComplete(ar -> {
        if (ar.failed()) fail(ctx, ar.cause(), requestId);
        else if (!ar.result()) InboundRoutes.sendError(ctx, codec, notFound(id), requestId);
        else ctx.response().putHeader("content-type", "application/json")
            .end(Json.buffer(Json.object().put("id", id).put("object", "response").put("deleted", true)));
      });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  /** The input items list, as OpenAI pages it: {@code limit} (1..100, default 20), {@code order} (desc by default), {@code after}. */
  private void inputItems(RoutingContext ctx) {
    stored(ctx, r -> {
      int limit = intParam(ctx, "limit", 20);
      if (limit < 1 || limit > 100) throw GatewayException.invalid("limit", "'limit' must be between 1 and 100");
      String order = ctx.request().getParam("order", "desc");
      if (!order.equals("asc") && !order.equals("desc")) throw GatewayException.invalid("order", "'order' must be asc or desc");
      String after = ctx.request().getParam("after");
      ArrayNode items;
      try {
        items = (ArrayNode) Json.parse(r.inputItems());
      } catch (IOException e) {
        throw new GatewayException(ErrorKind.API_ERROR, "Stored response is unreadable");
      }
      java.util.List<JsonNode> ordered = new java.util.ArrayList<>();
      items.forEach(ordered::add);
      if (order.equals("desc")) java.util.Collections.reverse(ordered);
      int from = 0;
      if (after != null) {
        from = -1;
        for (int i = 0; i < ordered.size(); i++) if (after.equals(ordered.get(i).path("id").asText())) from = i + 1;
        if (from < 0) throw GatewayException.invalid("after", "No input item with id '" + after + "'");
      }
      int to = Math.min(ordered.size(), from + limit);
      ObjectNode list = Json.object().put("object", "list");
      ArrayNode data = list.putArray("data");
      for (int i = from; i < to; i++) data.add(ordered.get(i));
      if (data.isEmpty()) {
        list.putNull("first_id");
        list.putNull("last_id");
      } else {
        list.put("first_id", data.get(0).path("id").asText());
        list.put("last_id", data.get(data.size() - 1).path("id").asText());
      }
      list.put("has_more", to < ordered.size());
      ctx.response().putHeader("content-type", "application/json").end(Json.buffer(list));
    });
  }

  /** Loads the response of the path's id that the caller may see and hands it to {@code then}; else 404. */
  private void stored(RoutingContext ctx, Consumer<StoredResponse> then) {
    String requestId = RequestIds.of(ctx.request());
    String id = ctx.pathParam("id");
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      Future<java.util.Optional<StoredResponse>> found = state.get(id, viewer(who), Vertx.currentContext());
      found.onComplete(ar -> {
        try {
          if (ar.failed()) throw ar.cause();
          then.accept(ar.result().orElseThrow(() -> notFound(id)));
        } catch (GatewayException e) {
          InboundRoutes.sendError(ctx, codec, e, requestId);
        } catch (Throwable t) {
          fail(ctx, t, requestId);
        }
      });
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, codec, e, requestId);
    }
  }

  /**
   * Codex opens a WebSocket on {@code /v1/responses} before it uses HTTP. It falls back to HTTP
   * for the rest of the session at once on a 426 handshake answer; any other failure it retries
   * ({@code stream_max_retries}, 5 by default) before falling back.
   */
  private void webSocket(RoutingContext ctx) {
    GatewayException e = new GatewayException(ErrorKind.INVALID_REQUEST, 426, "websocket_not_supported", null,
        "Junction serves the Responses API over HTTP only: use POST /v1/responses");
    InboundRoutes.sendError(ctx, codec, e, RequestIds.of(ctx.request()));
  }

  private void fail(RoutingContext ctx, Throwable err, String requestId) {
    GatewayException e = err instanceof GatewayException ge ? ge
        : new GatewayException(ErrorKind.API_ERROR, 500, "internal_error", null, "Response store unavailable: " + err.getMessage());
    InboundRoutes.sendError(ctx, codec, e, requestId);
  }

  private static int intParam(RoutingContext ctx, String name, int byDefault) {
    String v = ctx.request().getParam(name);
    if (v == null) return byDefault;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw GatewayException.invalid(name, "'" + name + "' must be an integer");
    }
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(ErrorKind.NOT_FOUND, 404, "not_found", null, "No response found with id '" + id + "'.");
  }

  private static Viewer viewer(ClientIdentity who) { return ResponsesStage.viewer(who); }
}
