package io.junction.routing;

import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.config.VirtualModelConfig;
import io.junction.testing.GatewayHttp;
import io.junction.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A gateway over routing-test {@link Providers}, and calls to it with the master key; plain HTTP,
 * raw sockets and polling are {@link GatewayHttp}'s.
 */
final class GatewayHarness {
  private GatewayHarness() {}

  static TestGateway gateway(long graceMs, List<VirtualModelConfig> vms, Providers... providers) {
    return TestGateway.start(c -> c.withModels(vms)
            .withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), graceMs)),
        Arrays.stream(providers).map(Providers::config).toArray(ProviderConfig[]::new));
  }

  static TestGateway gateway(Providers... providers) { return gateway(1_000, List.of(), providers); }

  static HttpResponse<String> chat(TestGateway gw, String model, boolean stream, String... headers) {
    return post(gw, "/v1/chat/completions", GatewayHttp.chatBody(model, stream), headers);
  }

  /** A POST with the master key and {@code headers} (name, value, ...). */
  static HttpResponse<String> post(TestGateway gw, String path, String body, String... headers) {
    return GatewayHttp.post(gw, path, body, Stream.concat(Arrays.stream(GatewayHttp.master()), Arrays.stream(headers)).toArray(String[]::new));
  }

  /** A GET with {@code key} as the bearer, or none when null. */
  static HttpResponse<String> get(TestGateway gw, String path, String key) {
    return key == null ? GatewayHttp.get(gw, path) : GatewayHttp.get(gw, path, "authorization", "Bearer " + key);
  }

  static String header(HttpResponse<?> r, String name) { return r.headers().firstValue(name).orElse(null); }

  /** A loopback port with nothing listening: connecting is refused at once. */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
