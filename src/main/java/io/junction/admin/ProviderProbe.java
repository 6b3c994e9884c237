package io.junction.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Role;
import io.junction.pipeline.Exchange;
import io.junction.pipeline.Gateway;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamCall;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The management API's own upstream calls: the live test of a provider and model discovery. Each
 * goes through the pipeline's {@link Exchange} with the provider's own adapter, a usable key (the
 * rotation is left alone) and extra headers, and is cut off after {@link #CALL_TIMEOUT_MS} so an
 * admin request never hangs on a dead upstream.
 */
final class ProviderProbe {
  static final long CALL_TIMEOUT_MS = 30_000;
  static final long DISCOVERY_TTL_MS = 5 * 60_000;

  /** A provider's upstream model list as fetched at {@code fetchedMs}, for the provider instance it came from. */
  private record Discovery(Provider provider, List<String> models, long fetchedMs) {}


  private final Gateway gw;
  private final Clock clock;
  private final Map<String, Discovery> discoveries = new ConcurrentHashMap<>();

  ProviderProbe(Gateway gw, Clock clock) {
    this.gw = gw;
    this.clock = clock;
  }

  /**
   * A live minimal call: a one-token chat to the first model the provider lists by exact name (so
   * the key, the URL and access to that model are all checked), or, when it lists none (globs or
   * discovery only), the model-list call, which is never billed. Always completes with
   * {@code {ok, latency_ms, error, check, model, status}}; an upstream failure is {@code ok: false}.
   */
  Future<ObjectNode> test(Provider p) {
    ObjectNode result = Json.object();
    String model = p.listedModels().stream().findFirst().orElse(null);
    UpstreamCall call;
    if (model != null) {
      String upstreamModel = p.match(model);
      ChatRequest ping = new ChatRequest();
      ping.model = model;
      ping.messages.add(Message.of(Role.USER, new Part.Text("ping")));
      ping.maxTokens = 1;
      call = p.adapter.chat(p.config, firstKey(p), upstreamModel, false, p.adapter.codec().encodeRequest(ping, upstreamModel));
      result.put("check", "chat").put("model", upstreamModel);
    } else {
      call = p.adapter.listModels(p.config, firstKey(p));
      result.put("check", "models").putNull("model");
    }
    long t0 = System.nanoTime();
    return fetch(p, call).map(a -> {
      boolean ok = a.status() < 400;
      result.put("ok", ok).put("latency_ms", (System.nanoTime() - t0) / 1_000_000).put("status", a.status());
      return result.put("error", ok ? null : p.adapter.codec().errorMessage(a.status(), a.body()));
    }).recover(err -> Future.succeededFuture(result.put("ok", false)
        .put("latency_ms", (System.nanoTime() - t0) / 1_000_000).putNull("status").put("error", describe(err))));
  }

  /**
   * The models {@code p} lists upstream, from a cache of {@link #DISCOVERY_TTL_MS} per provider
   * unless {@code refresh}. A fresh list also becomes {@link Provider#discovered}, so routing can
   * serve those names. Fails with a 502 naming the provider when the upstream call fails.
   */
  Future<ObjectNode> discover(Provider p, boolean refresh) {
    Discovery cached = discoveries.get(p.name());
    long now = clock.millis();
    boolean fresh = cached != null && cached.provider() == p && now - cached.fetchedMs() < DISCOVERY_TTL_MS;
    if (fresh && !refresh) return Future.succeededFuture(toJson(cached, true));
    Future<List<String>> models = fetch(p, p.adapter.listModels(p.config, firstKey(p)))
            .recover(err -> Future.failedFuture(
                GatewayException.badGateway("Provider '" + p.name() + "' model list failed: " + describe(err))))
            .map(a -> {
              if (a.status() >= 400) {
                throw new GatewayException(ErrorKind.BAD_GATEWAY, 502, "upstream_error", null, "Provider '" + p.name()
                    + "' answered its model list with HTTP " + a.status() + ": "
                    + p.adapter.codec().errorMessage(a.status(), a.body()));
              }
              return p.adapter.parseModels(a.body());
            });
    return models.map(list -> {
      Discovery d = new Discovery(p, List.copyOf(list), clock.millis());
      p.discovered = Set.copyOf(d.models());
      discoveries.put(p.name(), d);
      return toJson(d, false);
    });
  }

  private static ObjectNode toJson(Discovery d, boolean cached) {
    ObjectNode n = Json.object().put("provider", d.provider().name());
    d.models().forEach(n.putArray("models")::add);
    return n.put("fetched", Instant.ofEpochMilli(d.fetchedMs()).toString()).put("cached", cached);
  }

  private Future<Exchange.Reply> fetch(Provider p, UpstreamCall call) { return Exchange.fetch(gw, p, call, CALL_TIMEOUT_MS); }

  private static String firstKey(Provider p) { return p.keys.key(p.keys.peek()); }

  private static String describe(Throwable err) {
    String m = err.getMessage();
    return m == null || m.isBlank() ? err.getClass().getSimpleName() : m;
  }
}
