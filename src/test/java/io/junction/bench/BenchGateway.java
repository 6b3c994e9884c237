package io.junction.bench;

import io.junction.Junction;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import java.util.List;

/**
 * Starts the gateway for {@code bench/run.sh} when the jar has no {@code serve} command yet: one
 * {@code openai} provider pointing at the {@link InstantUpstream}, a master key, no storage.
 *
 * <p>Usage: {@code BenchGateway <port> <upstream base url> <master key>}; prints {@code listening <port>}.
 */
public final class BenchGateway {
  private BenchGateway() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    ProviderConfig openai = ProviderConfig.simple("openai", "openai", args[1], List.of("sk-bench-upstream"),
        List.of("gpt-4o-mini"));
    GatewayConfig defaults = GatewayConfig.defaults();
    GatewayConfig config = defaults.withProviders(List.of(openai)).withMasterKey(args[2])
        .withServer(new GatewayConfig.Server("127.0.0.1", port, defaults.server().maxBodyBytes(), 1000));
    Junction.create(config).start().await();
    System.out.println("listening " + port);
  }
}
