package io.junction.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.cache.CacheKey;
import io.junction.cache.CachedAnswer;
import io.junction.cache.ResponseCache;
import io.junction.protocol.Protocol;
import io.junction.routing.Candidate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exact-match response cache, as the stage after routing (present only when the config has a
 * {@code cache:} section). A call whose key — its caller's key id, protocol, operation, route and
 * canonical body ({@link CacheKey}) — has a stored answer is answered from it, byte for byte, as
 * JSON or as a stream; any other call goes on to the providers with a {@link Recording}, and its
 * answer is stored once it went out whole and successful (never an error, a cut stream, or an
 * answer over {@code max_entry_bytes}).
 *
 * <p>After {@link Admission}: a hit still counts against the key's rpm, and is settled like any
 * call, at $0 and no tokens. After {@link Routing}: a model nobody serves is still a 404, and the
 * key names the route, so a config change that sends the model elsewhere does not serve the old
 * provider's answers.
 *
 * <p>The client's {@code cache-control} is honoured: {@code no-store} keeps the call away from the
 * cache entirely (neither served nor stored), {@code no-cache} skips the lookup but stores the fresh
 * answer (HTTP's meaning: revalidate, i.e. do not serve a stored answer without asking the origin).
 */
final class Caching implements Stage {
  /** Response header: {@code hit} or {@code miss}; absent when the call was not cacheable. */
  static final String HEADER = "x-junction-cache";
  /** The provider a hit is logged and counted under: no provider was called, and their figures stay theirs. */
  static final String PROVIDER = "cache";

  private final Gateway gw;
  private final ResponseCache cache;

  Caching(Gateway gw, ResponseCache cache) {
    this.gw = gw;
    this.cache = cache;
  }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    String control = call.clientHeaders.get("cache-control");
    if (directive(control, "no-store")) return chain.proceed(call);
    String key = key(call);
    if (key == null) return chain.proceed(call);
    Future<CachedAnswer> lookup = directive(control, "no-cache") ? Future.succeededFuture() : cache.get(key);
    return lookup.compose(found -> {
      if (call.clientGone()) return Future.succeededFuture(new Outcome(499, "client closed the connection"));
      gw.telemetry().cache(found != null);
      if (found != null) return replay(call, found);
      call.response().putHeader(HEADER, "miss");
      call.recording = new Recording(cache.maxEntryBytes());
      return chain.proceed(call).andThen(ar -> {
        if (ar.succeeded() && ar.result().ok()) store(key, call);
      });
    });
  }

  /**
   * The key, or null when the call is not cacheable: a body that is not one JSON object (or repeats
   * a key), and a stored Responses API call — each must become a response of its own, with its id,
   * in the store ({@code store: false} calls are cacheable).
   */
  static String key(Call call) {
    ObjectNode body = CacheKey.parse(call.body);
    if (body == null) return null;
    boolean stored = !body.path("store").isBoolean() || body.path("store").booleanValue(); // the Responses API's default is true
    if (call.inbound.protocol() == Protocol.RESPONSES && stored) return null;
    List<String> route = new ArrayList<>();
    for (Candidate c : call.plan.candidates()) route.add(c.provider().name() + "/" + c.upstreamModel());
    route.sort(null); // the set, not the order: weighted and round-robin plans differ call to call
    return CacheKey.of(List.of(
        // Scoped per key: one tenant never receives another's answer (anonymous callers of an open gateway share one scope).
        call.identity() == null || call.identity().keyId() == null ? "" : call.identity().keyId(),
        call.inbound.protocol().id,
        call.operation.name(),
        Boolean.toString(call.passthroughAllowed), // Gemini: SSE or one JSON array for the same body
        String.valueOf(call.model()),
        Boolean.toString(call.stream()),
        String.join(",", route),
        // Forwarded to Anthropic upstreams, and a beta may change the answer.
        String.valueOf(call.clientHeaders.get("anthropic-version")),
        String.valueOf(call.clientHeaders.get("anthropic-beta"))), body);
  }

  private void store(String key, Call call) {
    Recording r = call.recording;
    if (!r.complete()) return;
    cache.put(key, new CachedAnswer(call.provider, call.upstreamModel, r.contentType(), r.streamed(), r.bytes().getBytes()));
  }

  /**
   * Answers from the cache as the first answer went out: the same bytes and content type, a
   * stream as a stream. The headers name the provider that produced it, with no attempt made.
   */
  private Future<Outcome> replay(Call call, CachedAnswer a) {
    call.provider = PROVIDER;
    call.upstreamModel = a.model();
    call.completeSeen = true;
    call.responseStarted = true;
    HttpServerResponse r = call.response();
    r.setStatusCode(200);
    Headers.common(r, call.requestId, a.provider(), 0);
    r.putHeader(HEADER, "hit");
    r.putHeader(Headers.CONTENT_TYPE, a.contentType());
    if (a.streamed()) {
      r.setChunked(true);
      r.putHeader(Headers.CACHE_CONTROL, Headers.NO_CACHE);
      call.ttftNanos = System.nanoTime() - call.startNanos;
    }
    return r.end(Buffer.buffer(a.body())).transform(ar -> Future.succeededFuture(
        ar.succeeded() ? Outcome.OK : new Outcome(499, "client closed the connection")));
  }

  /** Whether the {@code cache-control} value holds {@code name} among its comma-separated directives. */
  static boolean directive(String cacheControl, String name) {
    if (cacheControl == null) return false;
    for (String d : cacheControl.split(",")) {
      String token = d.trim();
      int eq = token.indexOf('=');
      if ((eq < 0 ? token : token.substring(0, eq).trim()).toLowerCase(Locale.ROOT).equals(name)) return true;
    }
    return false;
  }
}
