package io.junction.routing;

import io.junction.config.GatewayConfig;
import io.junction.config.VirtualModelConfig;
import io.junction.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A gateway over given providers, and plain HTTP calls to it (no SDK: tests look at raw statuses and headers). */
final class GatewayHarness {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private GatewayHarness() {}

  static TestGateway gateway(long graceMs, List<VirtualModelConfig> vms, Providers... providers) {
    GatewayConfig c = GatewayConfig.defaults().withMasterKey(TestGateway.MASTER_KEY)
        .withProviders(Arrays.stream(providers).map(Providers::config).toList()).withModels(vms);
    return new TestGateway(c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), graceMs)));
  }

  static TestGateway gateway(Providers... providers) { return gateway(1_000, List.of(), providers); }

  static String chatBody(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  static HttpResponse<String> chat(TestGateway gw, String model, boolean stream, String... headers) {
    return post(gw, "/v1/chat/completions", chatBody(model, stream), headers);
  }

  static HttpResponse<String> post(TestGateway gw, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  static HttpResponse<String> get(TestGateway gw, String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("authorization", "Bearer " + key);
    return send(b.build());
  }

  private static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  /** Polls until {@code condition} holds; fails after 10 s. */
  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + 10_000_000_000L;
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

  /** Sends a chat request on a raw socket and returns it, open, once the status line has arrived (or at once). */
  static Socket rawChat(TestGateway gw, String model, boolean stream, boolean waitForStatus) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port());
    byte[] body = chatBody(model, stream).getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer " + TestGateway.MASTER_KEY
        + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n";
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
    if (waitForStatus) {
      InputStream in = s.getInputStream();
      byte[] status = new byte[12];
      int n = 0;
      while (n < status.length) {
        int r = in.read(status, n, status.length - n);
        if (r < 0) throw new IOException("closed before the status line");
        n += r;
      }
    }
    return s;
  }
}
