package io.junction;

import io.junction.cache.ResponseCache;
import io.junction.config.GatewayConfig;
import io.junction.provider.ProviderRegistry;
import io.junction.provider.UpstreamClient;
import io.junction.routing.HealthProber;
import io.junction.routing.HealthRegistry;
import io.junction.routing.LatencyTracker;
import io.junction.routing.ModelResolver;
import io.junction.routing.PriceLookup;
import io.junction.routing.RetryPolicy;
import io.junction.pipeline.Exchange;
import io.junction.pipeline.Gateway;
import io.junction.server.GatewayServer;
import io.junction.server.HealthRoutes;
import io.junction.responses.ResponseRetention;
import io.junction.responses.ResponsesState;
import java.time.Clock;
import io.junction.admin.AdminRoutes;
import io.junction.admin.ChangePropagation;
import io.junction.admin.ManagedProviders;
import io.junction.admin.DataServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** A running gateway: assembles the parts from a config, starts them, and stops them in order. */
public final class Junction {
  /** A health probe is a model list: one that takes longer than this counts as failed. */
  private static final long PROBE_TIMEOUT_MS = 10_000;

  private final GatewayConfig config;
  private final Vertx vertx;
  private final Gateway gateway;
  private final GatewayServer server;
  private final HealthProber prober;
  private final DataServices data;
  private final ResponseRetention responseRetention;
  private final ChangePropagation propagation;
  private int port;

  private Junction(GatewayConfig config, Vertx vertx, Gateway gateway, GatewayServer server, HealthProber prober, DataServices data,
      ResponseRetention responseRetention, ChangePropagation propagation) {
    this.responseRetention = responseRetention;
    this.propagation = propagation;
    this.config = config;
    this.vertx = vertx;
    this.gateway = gateway;
    this.server = server;
    this.prober = prober;
    this.data = data;
  }

  /**
   * Builds the gateway. Opens the store first (blocking): a bad storage URL or an unreachable
   * database fails here with a one-line reason, before anything listens.
   */
  public static Junction create(GatewayConfig config) {
    return create(config, System.getenv());
  }

  /** As {@link #create(GatewayConfig)}, with {@code env} as the process environment ({@code ${VAR}} keys, {@code OTEL_*}). */
  public static Junction create(GatewayConfig config, java.util.Map<String, String> env) {
    // The tokenizer's vocabulary takes seconds to load: here, before serving, not on an event loop
    // the first time a stream needs an estimate.
    io.junction.protocol.TokenEstimator.count("warm up");
    Vertx vertx = Vertx.vertx(new VertxOptions());
    DataServices data;
    try {
      data = DataServices.start(config, vertx, env);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    ProviderRegistry registry = new ProviderRegistry(config.providers(), config.models());
    ManagedProviders managed;
    try {
      managed = ManagedProviders.start(config.providers(), data.store().providers, registry, env);
    } catch (RuntimeException e) {
      data.close();
      vertx.close();
      throw e;
    }
    data.telemetry().tracing().describeProviders(name -> {
      io.junction.provider.Provider p = registry.snapshot().provider(name);
      return p == null ? null : io.junction.telemetry.Tracing.semconvProvider(p.config.type(), p.config.preset());
    });
    // Metric labels: only model names known in advance, never whatever a client sent.
    data.metrics().knownModels((provider, model) ->
        registry.snapshot().configured(provider, model) || data.pricing().catalogued(provider, model));
    ChangePropagation propagation = ChangePropagation.start(data.store(), data.keys(), managed, ChangePropagation.DEFAULT_RELOAD_MS);
    HealthRegistry health = new HealthRegistry(registry);
    PriceLookup prices = (provider, model) -> data.pricing().find(provider, model)
        .map(p -> p.input() + p.output()).orElse(Double.NaN);
    ModelResolver resolver = new ModelResolver(registry, familyOf(), health, new LatencyTracker(), prices, RetryPolicy.DEFAULT);
    UpstreamClient upstream = new UpstreamClient(vertx, config.upstreamProxy(), registry);
    ResponseCache cache = config.cache() == null ? null
        : ResponseCache.create(config.cache(), config.redisUrl(), vertx, data.metrics().registry());
    Gateway gw = new Gateway(vertx, config, registry, resolver, upstream, data.telemetry(), data.authenticator(), data.pricing(),
        cache);
    List<Consumer<Router>> extensions = new ArrayList<>();
    extensions.add(new HealthRoutes(gw, health));
    extensions.add(new AdminRoutes(gw, data, managed, health::provider));
    HealthProber prober = new HealthProber(vertx, registry,
        (p, call) -> Exchange.fetch(gw, p, call, PROBE_TIMEOUT_MS)
            .map(reply -> p.adapter.effectiveStatus(reply.status(), reply.body())), health, 1_000);
    ResponsesState responses = new ResponsesState(data.store().responses, config.responses().retentionDays(), Clock.systemUTC());
    return new Junction(config, vertx, gw, new GatewayServer(gw, extensions, responses, data.store().database::unavailableReason),
        prober, data, new ResponseRetention(responses).start(), propagation);
  }

  static Function<String, String> familyOf() {
    return io.junction.provider.Presets::familyOf;
  }

  /** Listens on the configured host and port (0 = any free port); returns the port. */
  public Future<Integer> start() {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    return server.start(config.server().host(), config.server().port(), instances).onSuccess(p -> {
      port = p;
      prober.start();
    });
  }

  public int port() { return port; }

  public Gateway gateway() { return gateway; }

  public DataServices data() { return data; }

  /** What {@code GET /ready} answers: false from the moment {@link #stop()} begins. */
  public boolean ready() { return server.ready(); }

  /**
   * Graceful stop: readiness goes 503 and the listeners stop accepting; calls and streams in flight
   * get {@code server.shutdown_grace_ms} to finish; then the upstream client and the response cache, then the data
   * services (which flush queued log rows: a clean stop loses none), and Vert.x last.
   */
  public Future<Void> stop() {
    server.markNotReady();
    prober.stop();
    responseRetention.close();
    propagation.close();
    return server.shutdown(config.server().shutdownGraceMs())
        .eventually(() -> gateway.upstream().close())
        .eventually(() -> {
          if (gateway.cache() != null) gateway.cache().close();
          return Future.succeededFuture();
        })
        .eventually(() -> vertx.executeBlocking(() -> {
          data.close();
          return null;
        }))
        .eventually(() -> vertx.close());
  }

  /** Stops gracefully on SIGTERM/SIGINT: the JVM waits for {@link #stop()} up to the grace period plus a margin. */
  public void stopOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop().toCompletionStage().toCompletableFuture().get(graceMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // Exiting anyway: the JVM is going down.
      }
    }, "junction-shutdown"));
  }

  public long graceMillis() { return config.server().shutdownGraceMs(); }

}
