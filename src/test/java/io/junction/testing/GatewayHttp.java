package io.junction.testing;

import com.fasterxml.jackson.databind.node.TextNode;
import io.junction.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Plain HTTP against a {@link TestGateway}, as curl would send it (no SDK: tests look at raw
 * statuses, headers and sockets), and polling for what the gateway does asynchronously.
 */
public final class GatewayHttp {
  public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private GatewayHttp() {}

  /** The master key's authorization header, as name and value for {@code headers}. */
  public static String[] master() { return new String[] {"authorization", "Bearer " + TestGateway.MASTER_KEY}; }

  /** A one-message chat body for {@code model} (any text, escaped), not streamed. */
  public static String chatBody(String model) { return chatBody(model, false); }

  /** A one-message chat body for {@code model} (any text, escaped). */
  public static String chatBody(String model, boolean stream) {
    return "{\"model\":" + Json.text(new TextNode(model)) + ",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  /** A POST with {@code headers} (name, value, ...); {@code content-type: application/json} unless they name one. */
  public static HttpResponse<String> post(TestGateway gw, String path, String body, String... headers) {
    return send(gw, "POST", path, body, headers);
  }

  /** A request with a body and {@code headers} (name, value, ...); {@code content-type: application/json} unless they name one. */
  public static HttpResponse<String> send(TestGateway gw, String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("content-type");
    }
    if (!typed) b.header("content-type", "application/json");
    return send(b.build());
  }

  /** A GET with {@code headers} (name, value, ...). */
  public static HttpResponse<String> get(TestGateway gw, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  /** Sends {@code r}; a transport failure is an {@link IllegalStateException}. */
  public static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends a chat request with the master key on a raw socket and returns the socket, open: once the
   * status line has arrived with {@code waitForStatus}, else at once.
   */
  public static Socket rawChat(TestGateway gw, String model, boolean stream, boolean waitForStatus) throws IOException {
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

  /** Polls until {@code condition} holds; fails after 20 s. */
  public static void await(String what, BooleanSupplier condition) {
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
