package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console relies on, over plain HTTP: sign-in and the session cookie, the CSRF defence
 * (a cross-site form post is refused), the console's files, the usage series and a request's
 * detail with its attempts, all after real traffic through a mock upstream.
 */
class ConsoleApiTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static AdminHttp http;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")));
    http = new AdminHttp(gateway);
    for (int i = 0; i < 3; i++) assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    upstream.enqueue(Reply.error(400, "Bad request body"));
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(400);
    // Retried on a 500: one request, two attempts.
    upstream.enqueue(Reply.error(500, "Upstream fell over"));
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static final Map<String, String> CONSOLE = Map.of("x-junction-console", "1", "content-type", "application/json");

  /** Signs in as the console does; returns the "name=value" of the session cookie. */
  static String signIn() {
    HttpResponse<String> r = send("POST", "/api/v1/session", CONSOLE, "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void signInSetsAStrictHttpOnlyCookieOnlyForTheMasterKey() {
    HttpResponse<String> wrong = send("POST", "/api/v1/session", CONSOLE, "{\"key\":\"jk-wrong\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();

    JsonNode vk = http.expect(201, "POST", "/api/v1/keys", "{\"name\":\"not-an-admin\"}");
    HttpResponse<String> virtual = send("POST", "/api/v1/session", CONSOLE, "{\"key\":\"" + vk.get("key").asText() + "\"}");
    assertThat(virtual.statusCode()).isEqualTo(403);

    HttpResponse<String> ok = send("POST", "/api/v1/session", CONSOLE, "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie).startsWith("junction_session=").containsIgnoringCase("; HttpOnly").contains("SameSite=Strict").contains("Path=/");
    assertThat(cookie).as("the session id is not the master key").doesNotContain(TestGateway.MASTER_KEY);
  }

  @Test
  void theCookieOpensTheApiUntilSignOut() {
    String cookie = signIn();
    assertThat(send("GET", "/api/v1/providers", Map.of(), null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/v1/providers", Map.of("cookie", cookie), null).statusCode()).isEqualTo(200);
    assertThat(AdminHttp.json(send("GET", "/api/v1/session", Map.of("cookie", cookie), null)).get("signed_in").asBoolean()).isTrue();

    HttpResponse<String> out = send("DELETE", "/api/v1/session", Map.of("cookie", cookie, "x-junction-console", "1"), null);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send("GET", "/api/v1/providers", Map.of("cookie", cookie), null).statusCode()).isEqualTo(401);
    assertThat(AdminHttp.json(send("GET", "/api/v1/session", Map.of("cookie", cookie), null)).get("signed_in").asBoolean()).isFalse();
    assertThat(send("GET", "/api/v1/providers", Map.of("cookie", "junction_session=made-up"), null).statusCode()).isEqualTo(401);
  }

  @Test
  void aCrossSiteFormPostWithTheCookieIsRefused() {
    String cookie = signIn();
    String origin = gateway.url();
    int before = http.get("/api/v1/keys").get("data").size();
    // What another site's <form method=post> sends: the cookie (were it not SameSite), its own Origin, no console header.
    HttpResponse<String> form = send("POST", "/api/v1/keys", Map.of("cookie", cookie, "origin", "https://evil.example",
        "content-type", "application/x-www-form-urlencoded"), "name=stolen");
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(AdminHttp.error(form).get("code").asText()).isEqualTo("csrf_refused");
    // A script elsewhere that adds the header still has the wrong Origin.
    HttpResponse<String> script = send("POST", "/api/v1/keys", Map.of("cookie", cookie, "origin", "https://evil.example",
        "x-junction-console", "1", "content-type", "application/json"), "{\"name\":\"stolen\"}");
    assertThat(script.statusCode()).isEqualTo(403);
    // No Origin and no header (an old browser's form): refused too.
    assertThat(send("POST", "/api/v1/keys", Map.of("cookie", cookie, "content-type", "application/json"), "{\"name\":\"stolen\"}")
        .statusCode()).isEqualTo(403);
    assertThat(http.get("/api/v1/keys").get("data").size()).as("nothing was created").isEqualTo(before);

    HttpResponse<String> console = send("POST", "/api/v1/keys", Map.of("cookie", cookie, "origin", origin,
        "x-junction-console", "1", "content-type", "application/json"), "{\"name\":\"from-console\"}");
    assertThat(console.statusCode()).as(console.body()).isEqualTo(201);
    // Sign-in itself needs the header too (no login CSRF).
    assertThat(send("POST", "/api/v1/session", Map.of("content-type", "application/json", "origin", "https://evil.example"),
        "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}").statusCode()).isEqualTo(403);
  }

  @Test
  void theConsoleIsServedFromTheJarWithRevalidationAndAStrictPolicy() {
    HttpResponse<String> bare = send("GET", "/ui", Map.of(), null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/ui/");
    HttpResponse<String> index = send("GET", "/ui/", Map.of(), null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\">");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(index.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'self'")
        .contains("frame-ancestors 'none'");
    HttpResponse<String> js = send("GET", "/ui/js/app.js", Map.of(), null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type").orElseThrow()).contains("javascript");
    String lastModified = js.headers().firstValue("last-modified").orElseThrow();
    assertThat(send("GET", "/ui/js/app.js", Map.of("if-modified-since", lastModified), null).statusCode()).isEqualTo(304);
    assertThat(send("GET", "/ui/nope.js", Map.of(), null).statusCode()).isEqualTo(404);
  }

  @Test
  void usageCountsTheTrafficPerMinute() {
    JsonNode u = AdminHttp.poll(() -> http.get("/api/v1/usage?bucket=minute&from=" + (System.currentTimeMillis() - 600_000)),
        n -> total(n.get("data"), "requests") == 5);
    assertThat(u.get("bucket").asText()).isEqualTo("minute");
    assertThat(u.get("data").size()).isBetween(10, 11);
    assertThat(total(u.get("data"), "requests")).isEqualTo(5);
    assertThat(total(u.get("data"), "errors")).isEqualTo(1);
    assertThat(total(u.get("data"), "output_tokens")).isEqualTo(5 * 4);

    JsonNode byProvider = http.get("/api/v1/usage?bucket=hour&group_by=provider&provider=openai");
    assertThat(total(byProvider.at("/groups/openai"), "requests")).isEqualTo(5);
    assertThat(http.get("/api/v1/usage?model=other-model").get("data").findValues("requests"))
        .allMatch(n -> n.asLong() == 0);

    assertThat(AdminHttp.error(http.call("GET", "/api/v1/usage?bucket=week", TestGateway.MASTER_KEY, null)).get("param").asText())
        .isEqualTo("bucket");
    assertThat(http.call("GET", "/api/v1/usage?bucket=minute&from=2020-01-01", TestGateway.MASTER_KEY, null).statusCode())
        .as("too many buckets").isEqualTo(400);
  }

  @Test
  void aLoggedRequestOpensWithItsAttempts() {
    JsonNode logs = AdminHttp.poll(() -> http.get("/api/v1/logs?status=200"), n -> n.get("data").size() == 4);
    JsonNode retried = logs.get("data").get(0);
    assertThat(retried.get("attempts").asInt()).isEqualTo(2);
    JsonNode detail = AdminHttp.poll(() -> http.get("/api/v1/logs/" + retried.get("id").asLong()),
        n -> n.get("attempt_list").size() == 2);
    assertThat(detail.get("request_id").asText()).isEqualTo(retried.get("request_id").asText());
    assertThat(detail.get("attempt_list").findValues("status")).extracting(JsonNode::asInt).containsExactly(500, 200);
    assertThat(detail.at("/attempt_list/0/provider").asText()).isEqualTo("openai");
    assertThat(http.call("GET", "/api/v1/logs/99999", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
  }

  @Test
  void anOpenGatewayTakesToolsButNotAnotherSitesForms() {
    io.junction.config.GatewayConfig c = io.junction.config.GatewayConfig.defaults()
        .withProviders(List.of(ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"))))
        .withStorageUrl(TestGateway.tempDatabase());
    try (TestGateway open = new TestGateway(c.withServer(new io.junction.config.GatewayConfig.Server("127.0.0.1", 0,
        c.server().maxBodyBytes(), 1000)))) {
      HttpClient client = HttpClient.newHttpClient();
      java.util.function.BiFunction<String, Map<String, String>, HttpResponse<String>> post = (path, headers) -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(open.url() + path))
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"k\"}"));
        headers.forEach(b::header);
        try {
          return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
          throw new AssertionError(e);
        }
      };
      assertThat(post.apply("/api/v1/keys", Map.of("origin", "https://evil.example", "content-type", "text/plain")).statusCode())
          .as("another site's form on an open gateway").isEqualTo(403);
      assertThat(post.apply("/api/v1/keys", Map.of()).statusCode()).as("curl, no key needed when open").isEqualTo(201);
      HttpResponse<String> session;
      try {
        session = client.send(HttpRequest.newBuilder(URI.create(open.url() + "/api/v1/session")).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(AdminHttp.json(session).get("signed_in").asBoolean()).isTrue();
      assertThat(AdminHttp.json(session).get("open").asBoolean()).isTrue();
    }
  }

  private static long total(JsonNode series, String field) {
    long sum = 0;
    for (JsonNode p : series) sum += p.get(field).asLong();
    return sum;
  }
}
