package io.junction.pipeline;

import io.junction.auth.ClientAuthenticator;

import io.junction.cache.ResponseCache;
import io.junction.config.GatewayConfig;
import io.junction.provider.ProviderRegistry;
import io.junction.provider.UpstreamClient;
import io.junction.routing.ModelResolver;
import io.junction.telemetry.Pricing;
import io.junction.telemetry.TelemetrySink;
import io.vertx.core.Vertx;

/**
 * What every request handler shares: the live providers, the upstream client, telemetry and auth,
 * and the response cache ({@code null} when the config has none).
 */
public record Gateway(
    Vertx vertx,
    GatewayConfig config,
    ProviderRegistry registry,
    ModelResolver resolver,
    UpstreamClient upstream,
    TelemetrySink telemetry,
    ClientAuthenticator authenticator,
    Pricing pricing,
    ResponseCache cache) {}
