package io.junction.server;

import io.junction.auth.ClientIdentity;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Gateway;
import io.junction.pipeline.RequestIds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Codecs;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.routing.HealthRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Health reports (CONTRACT §6), master key only: {@code GET /api/v1/health} and
 * {@code /providers/health} for the gateway and every provider, {@code /v1/providers/{name}/health}
 * for one. Provider keys appear by index and state, never by text.
 */
public final class HealthRoutes implements Consumer<Router> {
  private final Gateway gw;
  private final HealthRegistry health;

  public HealthRoutes(Gateway gw, HealthRegistry health) {
    this.gw = gw;
    this.health = health;
  }

  @Override
  public void accept(Router router) {
    router.get("/api/v1/health").handler(ctx -> answer(ctx, null));
    router.get("/providers/health").handler(ctx -> answer(ctx, null));
    router.get("/v1/providers/:name/health").handler(ctx -> answer(ctx, ctx.pathParam("name")));
  }

  private void answer(RoutingContext ctx, String provider) {
    try {
      ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
      if (!who.master()) throw new GatewayException(ErrorKind.PERMISSION, 403, "master_key_required", null, "This endpoint needs the master key");
      ObjectNode body = provider == null ? health.snapshot() : health.provider(provider);
      if (body == null) {
        throw new GatewayException(ErrorKind.NOT_FOUND, 404, "provider_not_found", "name", "No provider named '" + provider + "'");
      }
      ctx.response().putHeader("content-type", "application/json").end(Json.buffer(body));
    } catch (GatewayException e) {
      InboundRoutes.sendError(ctx, Codecs.inbound(Protocol.OPENAI), e, RequestIds.of(ctx.request()));
    }
  }
}
