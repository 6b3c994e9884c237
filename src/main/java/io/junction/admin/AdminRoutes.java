package io.junction.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Codecs;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.provider.Provider;
import io.junction.auth.ClientIdentity;
import io.junction.auth.ClientKey;
import io.junction.pipeline.Gateway;
import io.junction.store.CostReport;
import io.junction.store.LogEntry;
import io.junction.store.LogQuery;
import io.junction.store.TimeRange;
import io.junction.store.VirtualKey;
import io.junction.telemetry.GatewayMetrics;
import io.junction.telemetry.MetricsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The management API (CONTRACT §6) and its compatibility routes, all behind the master key, plus
 * the unauthenticated Prometheus scrape at {@code GET /metrics}. Handlers never block: store calls
 * complete on the database's threads and the answer is written back on the request's event loop.
 * Errors use the OpenAI error shape (the router's failure handler writes them).
 */
public final class AdminRoutes implements Consumer<Router> {
  private final Gateway gw;
  private final DataServices data;
  private final ManagedProviders managed;
  private final ProviderProbe probe;
  private final Function<String, JsonNode> health;

  /** {@code health} gives the health of a provider by name, as JSON shown in the provider views. */
  public AdminRoutes(Gateway gw, DataServices data, ManagedProviders managed, Function<String, JsonNode> health) {
    this.gw = gw;
    this.data = data;
    this.managed = managed;
    this.health = health;
    this.probe = new ProviderProbe(gw, Clock.systemUTC());
  }

  @Override
  public void accept(Router r) {
    r.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", GatewayMetrics.PROMETHEUS_CONTENT_TYPE)
        .end(data.metrics().scrape()));

    for (String path : List.of("/api/v1/providers", "/providers/status", "/v1/providers")) {
      admin(r.get(path), this::listProviders);
    }
    admin(r.get("/api/v1/providers/:name"), ctx -> send(ctx, 200, view(provider(ctx))));
    admin(r.post("/api/v1/providers/:name/test"), ctx -> respond(ctx, probe.test(provider(ctx))));
    admin(r.get("/api/v1/providers/:name/models"),
        ctx -> respond(ctx, probe.discover(provider(ctx), "true".equals(ctx.request().getParam("refresh")))));
    admin(r.put("/api/v1/config/providers/:name"), this::putProvider);
    admin(r.delete("/api/v1/config/providers/:name"), this::deleteProvider);

    for (String prefix : List.of("/api/v1/metrics", "/providers/metrics")) {
      admin(r.get(prefix), ctx -> send(ctx, 200, data.metrics().snapshot().toJson()));
      admin(r.post(prefix + "/reset"), this::resetMetrics);
      admin(r.get(prefix + "/:provider"), this::providerMetrics);
    }
    for (String path : List.of("/api/v1/logs", "/providers/logs")) {
      admin(r.get(path), ctx -> logs(ctx, LogQuery.fromParams(ctx.request()::getParam)));
    }
    admin(r.get("/providers/logs/:name"),
        ctx -> logs(ctx, LogQuery.fromParams(ctx.request()::getParam).withProvider(ctx.pathParam("name"))));
    for (String path : List.of("/api/v1/costs", "/providers/costs")) {
      admin(r.get(path), ctx -> respond(ctx, future(ctx, data.store().logs.costs(TimeRange.fromParams(ctx.request()::getParam))
          .thenApply(CostReport::toJson))));
    }

    admin(r.post("/api/v1/keys"), ctx -> respond(ctx, future(ctx, data.keys().create(KeySpec.fromJson(body(ctx)))
        .thenApply(CreatedKey::toJson)), 201));
    admin(r.get("/api/v1/keys"), ctx -> send(ctx, 200, list(data.keys().list().stream().map(VirtualKey::toJson).toList())));
    admin(r.delete("/api/v1/keys/:id"), this::revokeKey);
  }

  // ---- providers ----

  private void listProviders(RoutingContext ctx) {
    send(ctx, 200, list(gw.registry().snapshot().providers().stream().map(this::view).toList()));
  }

  private Provider provider(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Provider p = gw.registry().snapshot().provider(name);
    if (p == null) throw ManagedProviders.notFound(name);
    return p;
  }

  /** A provider as the API shows it: its settings, never its keys (only how many). */
  private ObjectNode view(Provider p) {
    ProviderConfig c = p.config;
    ObjectNode n = Json.object();
    n.put("name", c.name());
    n.put("type", c.type());
    n.put("preset", c.preset());
    n.put("base_url", withoutUserInfo(p.adapter.baseUrl(c)));
    n.put("dispatch", c.dispatch().name().toLowerCase(Locale.ROOT));
    n.put("weight", c.weight());
    n.put("enabled", c.enabled());
    c.models().forEach(n.putArray("models")::add);
    n.put("key_count", p.keys.size());
    n.put("timeout_ms", c.timeoutMs());
    n.put("max_retries", c.maxRetries());
    ObjectNode options = n.putObject("options");
    if (c.options() != null) c.options().forEach(options::put);
    n.put("source", managed.isStored(c.name()) ? "api" : "config");
    n.set("health", health.apply(c.name()));
    return n;
  }

  private void putProvider(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    future(ctx, managed.put(name, body(ctx))).onComplete(ar -> {
      if (ar.failed()) fail(ctx, ar.cause());
      else send(ctx, ar.result().created() ? 201 : 200, view(ar.result().provider()));
    });
  }

  private void deleteProvider(RoutingContext ctx) {
    respond(ctx, future(ctx, managed.delete(ctx.pathParam("name"))
        .thenApply(r -> Json.object().put("name", r.name()).put("deleted", true)
            .put("reverted_to_configured", r.revertedToConfigured()))));
  }

  // ---- metrics, logs, keys ----

  private void providerMetrics(RoutingContext ctx) {
    String name = ctx.pathParam("provider");
    MetricsSnapshot.Provider m = data.metrics().snapshot(name);
    if (m == null) {
      if (gw.registry().snapshot().provider(name) == null) throw ManagedProviders.notFound(name);
      m = new MetricsSnapshot.Provider(new MetricsSnapshot.Stats(0, 0, 0, null, MetricsSnapshot.Percentiles.NONE,
          MetricsSnapshot.Percentiles.NONE, 0, 0, 0, 0, 0, 0), Map.of());
    }
    ObjectNode n = Json.object().put("provider", name);
    send(ctx, 200, n.setAll(m.toJson()));
  }

  private void resetMetrics(RoutingContext ctx) {
    data.metrics().reset();
    send(ctx, 200, Json.object().put("reset", true).put("since", Instant.ofEpochMilli(data.metrics().snapshot().sinceMs()).toString()));
  }

  /** A page of logs, newest first; {@code next_before} is the {@code before} of the next page (null on the last). */
  private void logs(RoutingContext ctx, LogQuery q) {
    respond(ctx, future(ctx, data.store().logs.query(q).thenApply(rows -> {
      ObjectNode n = list(rows.stream().map(LogEntry::toJson).toList());
      if (rows.size() == q.limit()) n.put("next_before", rows.get(rows.size() - 1).id());
      else n.putNull("next_before");
      return n;
    })));
  }

  private void revokeKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(ctx, future(ctx, data.keys().revoke(id).thenApply(revoked -> {
      if (!revoked) {
        throw new GatewayException(ErrorKind.NOT_FOUND, 404, "key_not_found", null, "No active virtual key '" + id + "'");
      }
      return Json.object().put("id", id).put("revoked", true);
    })));
  }

  // ---- plumbing ----

  /** Registers {@code handler} behind the master-key check. */
  private void admin(io.vertx.ext.web.Route route, Handler<RoutingContext> handler) {
    route.handler(this::requireMaster).handler(handler);
  }

  /**
   * 401 without a valid key, 403 for a virtual key. With no master key configured every caller is
   * the anonymous master: an open gateway, which only binds to loopback (CONTRACT §5).
   */
  private void requireMaster(RoutingContext ctx) {
    ClientIdentity who = gw.authenticator().authenticate(ClientKey.of(ctx.request()));
    if (!who.master()) {
      throw new GatewayException(ErrorKind.PERMISSION, 403, "master_key_required", null,
          "The management API needs the master key; virtual keys may only call the model endpoints");
    }
    ctx.next();
  }

  private static JsonNode body(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    if (b == null || b.length() == 0) throw GatewayException.invalid(null, "Request body is empty; expected a JSON object");
    try {
      return Json.parse(b);
    } catch (IOException e) {
      throw GatewayException.invalid(null, "Request body is not valid JSON");
    }
  }

  private static ObjectNode list(List<? extends JsonNode> items) {
    ObjectNode n = Json.object();
    ArrayNode data = n.putArray("data");
    items.forEach(data::add);
    return n;
  }

  /** A store future as a Vert.x future completing on the request's own context. */
  private static <T> Future<T> future(RoutingContext ctx, CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
  }

  private static void respond(RoutingContext ctx, Future<? extends JsonNode> f) { respond(ctx, f, 200); }

  private static void respond(RoutingContext ctx, Future<? extends JsonNode> f, int status) {
    f.onComplete(ar -> {
      if (ar.failed()) fail(ctx, ar.cause());
      else send(ctx, status, ar.result());
    });
  }

  private static void send(RoutingContext ctx, int status, JsonNode body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(Json.buffer(body));
  }

  /** Fails the request with the real cause; a provider body with problems also lists them as {@code error.problems}. */
  private static void fail(RoutingContext ctx, Throwable err) {
    Throwable e = err;
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    if (e instanceof ManagedProviders.InvalidConfig invalid) {
      ObjectNode body = (ObjectNode) Json.parseUpstream(Codecs.inbound(Protocol.OPENAI).encodeError(invalid));
      invalid.problems.forEach(((ObjectNode) body.get("error")).putArray("problems")::add);
      send(ctx, 400, body);
      return;
    }
    ctx.fail(e);
  }

  /** A base URL with any {@code user:password@} removed: credentials must never leave the gateway. */
  static String withoutUserInfo(String url) {
    try {
      URI u = URI.create(url);
      if (u.getRawUserInfo() == null) return url;
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null).toString();
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      return url;
    }
  }
}
