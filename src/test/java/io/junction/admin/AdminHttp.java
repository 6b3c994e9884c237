package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Plain HTTP calls against a {@link TestGateway}, as curl would make them. */
final class AdminHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final TestGateway gateway;

  AdminHttp(TestGateway gateway) { this.gateway = gateway; }

  HttpResponse<String> call(String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("authorization", "Bearer " + key);
    if (body != null) b.header("content-type", "application/json");
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A call with the master key that must answer {@code status}; returns the JSON body. */
  JsonNode expect(int status, String method, String path, String body) {
    HttpResponse<String> r = call(method, path, TestGateway.MASTER_KEY, body);
    assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(status);
    return json(r);
  }

  JsonNode get(String path) { return expect(200, "GET", path, null); }

  HttpResponse<String> chat(String model, String key) {
    return call("POST", "/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.parse(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** The OpenAI-shaped error of a failed call. */
  static JsonNode error(HttpResponse<String> r) {
    JsonNode e = json(r).path("error");
    assertThat(e.path("message").asText()).as(r.body()).isNotBlank();
    assertThat(e.has("type") && e.has("code") && e.has("param")).as(r.body()).isTrue();
    return e;
  }

  /**
   * Polls {@code read} until {@code done} holds (the request-log writer is asynchronous), for at
   * most 10 s; returns the last value read, which the caller asserts on.
   */
  static <T> T poll(Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      value = read.get();
    }
    return value;
  }
}
