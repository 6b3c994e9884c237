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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Gateways, providers and raw HTTP for the hostile tests. */
final class Hostile {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Hostile() {}

  static ProviderConfig provider(String name, String type, String baseUrl, List<String> keys, List<String> models,
      Map<String, String> options) {
    return new ProviderConfig(name, type, null, baseUrl, keys, DispatchMode.POOLED, 1, models,
        ProviderConfig.DEFAULT_TIMEOUT_MS, ProviderConfig.DEFAULT_CONNECT_TIMEOUT_MS, ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT_MS,
        ProviderConfig.DEFAULT_IDLE_TIMEOUT_MS, 0, Map.of(), true, options);
  }

  /** A gateway on port 0 with its own SQLite file; {@code server} adjusts the listener's limits. */
  static TestGateway gateway(java.util.function.UnaryOperator<GatewayConfig.Server> server, ProviderConfig... providers) {
    GatewayConfig c = GatewayConfig.defaults().withMasterKey(TestGateway.MASTER_KEY).withProviders(List.of(providers))
        .withStorageUrl(TestGateway.tempDatabase());
    return new TestGateway(c.withServer(server.apply(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1_000))));
  }

  static TestGateway gateway(ProviderConfig... providers) { return gateway(s -> s, providers); }

  static HttpResponse<String> post(TestGateway gw, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("content-type");
    }
    if (!typed) b.header("content-type", "application/json");
    return send(b.build());
  }

  static HttpResponse<String> get(TestGateway gw, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  static String[] master() { return new String[] {"authorization", "Bearer " + TestGateway.MASTER_KEY}; }

  static String chatBody(String model) {
    return "{\"model\":" + io.junction.protocol.Json.text(new com.fasterxml.jackson.databind.node.TextNode(model))
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return io.junction.protocol.Json.parse(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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

  /** Polls until {@code condition} holds; fails after 20 s. */
  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
