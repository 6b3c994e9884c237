package io.junction.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.RequestIds;
import io.junction.protocol.Codecs;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /v1/models} in Anthropic's shape, for requests that carry {@code anthropic-version}
 * (Anthropic SDKs and Claude Code list models this way): one page holding every served model.
 */
final class AnthropicModelList {
  /** Junction knows no release date of a model; Anthropic's field is required, so it says the epoch. */
  private static final String CREATED_AT = "1970-01-01T00:00:00Z";

  private AnthropicModelList() {}

  static boolean wanted(RoutingContext ctx) { return ctx.request().getHeader("anthropic-version") != null; }

  static void answer(RoutingContext ctx, Gateway gw, Map<String, String> servedModels) {
    try {
      gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      ObjectNode page = Json.object();
      ArrayNode data = page.putArray("data");
      for (String id : servedModels.keySet()) {
        data.addObject().put("type", "model").put("id", id).put("display_name", id).put("created_at", CREATED_AT);
      }
      page.put("has_more", false);
      String first = data.isEmpty() ? null : data.get(0).get("id").asText();
      String last = data.isEmpty() ? null : data.get(data.size() - 1).get("id").asText();
      page.put("first_id", first).put("last_id", last);
      ctx.response().putHeader("content-type", "application/json").end(Json.buffer(page));
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, Codecs.inbound(Protocol.ANTHROPIC), e, RequestIds.of(ctx.request()));
    }
  }
}
