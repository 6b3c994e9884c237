package io.junction.hostile;

import io.junction.config.DispatchMode;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Providers, gateways with adjusted listener limits and raw sockets for the hostile tests; plain
 * HTTP and polling are {@link io.junction.testing.GatewayHttp}'s.
 */
final class Hostile {
  private Hostile() {}

  /** A pooled provider that is not retried, with {@code options} (max_connections, max_response_bytes, ...). */
  static ProviderConfig provider(String name, String type, String baseUrl, List<String> keys, List<String> models,
      Map<String, String> options) {
    return new ProviderConfig(name, type, null, baseUrl, keys, DispatchMode.POOLED, 1, models,
        ProviderConfig.DEFAULT_TIMEOUT_MS, ProviderConfig.DEFAULT_CONNECT_TIMEOUT_MS, ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT_MS,
        ProviderConfig.DEFAULT_IDLE_TIMEOUT_MS, 0, Map.of(), true, options);
  }

  /** A {@link TestGateway#withProviders} gateway whose listener {@code server} adjusts. */
  static TestGateway gateway(UnaryOperator<GatewayConfig.Server> server, ProviderConfig... providers) {
    return TestGateway.start(c -> c.withServer(server.apply(c.server())), providers);
  }

  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return io.junction.protocol.Json.parse(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static Socket connect(TestGateway gw) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port());
    s.setSoTimeout(20_000);
    return s;
  }

  /**
   * Whether the gateway closed {@code s}: reads until end of stream (true) or until the socket's
   * read timeout passes with the connection still open (false). Whatever bytes come first are skipped.
   */
  static boolean closedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // an answer before the close is fine; the close is what counts
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }
}
