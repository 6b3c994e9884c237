package io.junction;

import io.junction.config.GatewayConfig;
import io.junction.provider.ProviderRegistry;
import io.junction.provider.UpstreamClient;
import io.junction.routing.ModelResolver;
import io.junction.server.Gateway;
import io.junction.server.GatewayServer;
import io.junction.admin.AdminRoutes;
import io.junction.admin.DataServices;
import io.junction.admin.ManagedProviders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** A running gateway: assembles the parts from a config, starts them, and stops them in order. */
public final class Junction {
  private final GatewayConfig config;
  private final Vertx vertx;
  private final Gateway gateway;
  private final GatewayServer server;
  private final DataServices data;
  private int port;

  private Junction(GatewayConfig config, Vertx vertx, Gateway gateway, GatewayServer server, DataServices data) {
    this.config = config;
    this.vertx = vertx;
    this.gateway = gateway;
    this.server = server;
    this.data = data;
  }

  /**
   * Builds the gateway. Opens the store first (blocking): a bad storage URL or an unreachable
   * database fails here with a one-line reason, before anything listens.
   */
  public static Junction create(GatewayConfig config) {
    DataServices data = DataServices.start(config);
    ProviderRegistry registry = new ProviderRegistry(config.providers(), config.models());
    ManagedProviders managed;
    try {
      managed = ManagedProviders.start(config.providers(), data.store().providers, registry, System.getenv());
    } catch (RuntimeException e) {
      data.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    ModelResolver resolver = new ModelResolver(registry, familyOf());
    UpstreamClient upstream = new UpstreamClient(vertx, config.upstreamProxy());
    Gateway gw = new Gateway(vertx, config, registry, resolver, upstream, data.telemetry(), data.authenticator(), data.pricing());
    List<Consumer<Router>> extensions = new ArrayList<>();
    extensions.add(new AdminRoutes(gw, data, managed, AdminRoutes.HEALTH_UNKNOWN));
    return new Junction(config, vertx, gw, new GatewayServer(gw, extensions), data);
  }

  static Function<String, String> familyOf() {
    return io.junction.provider.Presets::familyOf;
  }

  /** Listens on the configured host and port (0 = any free port); returns the port. */
  public Future<Integer> start() {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    return server.start(config.server().host(), config.server().port(), instances).onSuccess(p -> port = p);
  }

  public int port() { return port; }

  public Gateway gateway() { return gateway; }

  public DataServices data() { return data; }

  /**
   * Readiness off, listeners closed, then the upstream client, then the data services (which
   * flush queued log rows: a clean stop loses none), and Vert.x last.
   */
  public Future<Void> stop() {
    server.markNotReady();
    return server.close()
        .eventually(() -> gateway.upstream().close())
        .eventually(() -> vertx.executeBlocking(() -> {
          data.close();
          return null;
        }))
        .eventually(() -> vertx.close());
  }

  public long graceMillis() { return config.server().shutdownGraceMs(); }

}
