package io.junction.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ConfigLoader;
import io.junction.config.GatewayConfig;
import io.junction.protocol.Json;
import io.junction.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Gateways with a cache, and raw HTTP to them (the tests compare bytes and headers). */
final class CacheHttp {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private CacheHttp() {}

  /** A gateway from {@code yaml} (providers, cache, redis), on a free port with its own SQLite file and the test master key. */
  static TestGateway gateway(String yaml) {
    ConfigLoader.Result r = ConfigLoader.fromYaml(yaml, Map.of());
    assertThat(r.errors()).isEmpty();
    GatewayConfig c = r.config().withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(TestGateway.tempDatabase());
    return new TestGateway(c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000)));
  }

  static String chat(String prompt, boolean stream) {
    return "{\"model\":\"gpt-4o\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  static HttpResponse<byte[]> post(TestGateway gw, String path, String key, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  /** A chat completion call with the master key. */
  static HttpResponse<byte[]> ask(TestGateway gw, String body, String... headers) {
    return post(gw, "/v1/chat/completions", TestGateway.MASTER_KEY, body, headers);
  }

  static HttpResponse<byte[]> get(TestGateway gw, String path) {
    return send(HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build());
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return Json.parse(text(r));
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(r), e);
    }
  }

  static String text(HttpResponse<byte[]> r) { return new String(r.body(), StandardCharsets.UTF_8); }

  static String header(HttpResponse<?> r, String name) { return r.headers().firstValue(name).orElse(null); }

  /** A new virtual key's secret. */
  static String virtualKey(TestGateway gw, String name) {
    HttpResponse<byte[]> r = post(gw, "/api/v1/keys", TestGateway.MASTER_KEY, "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    return json(r).path("key").asText();
  }

  /** A sample of {@code GET /metrics}, e.g. {@code junction_cache_requests_total{result="hit"}}; 0 when absent. */
  static double metric(TestGateway gw, String sample) {
    for (String line : text(send(HttpRequest.newBuilder(URI.create(gw.url() + "/metrics")).build())).split("\n")) {
      if (line.startsWith(sample + " ")) return Double.parseDouble(line.substring(sample.length() + 1).trim());
    }
    return 0;
  }

  private static HttpResponse<byte[]> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
