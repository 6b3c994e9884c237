package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.telemetry.Price;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics, logs, costs and the Prometheus scrape after known traffic: five calls to gpt-4o
 * through the mock (12 prompt tokens of which 2 cached, 5 completion tokens each), one of them
 * streamed, one made with a virtual key, and one answered 400 by the upstream.
 */
class AdminMetricsTest {
  static final double EPS = 1e-12;
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static AdminHttp http;
  static String virtualKeyId;
  /** What one successful mock call costs by the price catalog. */
  static double perCall;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")),
        ProviderConfig.simple("idle", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("idle-model")));
    http = new AdminHttp(gateway);
    Price price = gateway.junction.data().pricing().find("openai", "gpt-4o").orElseThrow();
    perCall = price.cost(12, 5, 2, 0);
    assertThat(perCall).isPositive();

    JsonNode key = http.expect(201, "POST", "/api/v1/keys", "{\"name\":\"metered\"}");
    virtualKeyId = key.path("id").asText();
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    assertThat(http.chat("gpt-4o", key.path("key").asText()).statusCode()).isEqualTo(200);
    HttpResponse<String> streamed = http.call("POST", "/v1/chat/completions", TestGateway.MASTER_KEY,
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
    upstream.enqueue(Reply.error(400, "Bad things"));
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(400);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  @Test
  void metricsCountTheTrafficAndResetToZero() {
    JsonNode m = AdminHttp.poll(() -> http.get("/api/v1/metrics/openai"), n -> n.path("requests").asInt() == 5);
    assertThat(m.path("provider").asText()).isEqualTo("openai");
    assertThat(m.path("requests").asInt()).isEqualTo(5);
    assertThat(m.path("successes").asInt()).isEqualTo(4);
    assertThat(m.path("errors").asInt()).isEqualTo(1);
    assertThat(m.path("success_rate").asDouble()).isCloseTo(0.8, within(EPS));
    assertThat(m.path("input_tokens").asLong()).isEqualTo(48);
    assertThat(m.path("output_tokens").asLong()).isEqualTo(20);
    assertThat(m.path("cost_usd").asDouble()).isCloseTo(4 * perCall, within(EPS));
    for (String p : List.of("p50", "p95", "p99")) {
      assertThat(m.path("latency_ms").path(p).isNumber()).as("latency " + p).isTrue();
      assertThat(m.path("ttft_ms").path(p).isNumber()).as("ttft " + p).isTrue();
    }
    assertThat(m.path("models").path("gpt-4o").path("requests").asInt()).isEqualTo(5);
    assertThat(http.get("/providers/metrics/openai").path("requests").asInt()).isEqualTo(5);
    assertThat(http.get("/api/v1/metrics").path("providers").path("openai").path("requests").asInt()).isEqualTo(5);
    assertThat(http.get("/providers/metrics").path("providers").path("openai").path("output_tokens").asInt()).isEqualTo(20);

    JsonNode idle = http.get("/api/v1/metrics/idle");
    assertThat(idle.path("requests").asInt()).isZero();
    assertThat(idle.path("success_rate").isNull()).isTrue();
    assertThat(AdminHttp.error(http.call("GET", "/api/v1/metrics/nope", TestGateway.MASTER_KEY, null)).path("code").asText())
        .isEqualTo("provider_not_found");

    assertThat(http.expect(200, "POST", "/api/v1/metrics/reset", null).path("reset").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/metrics/openai").path("requests").asInt()).isZero();
    assertThat(http.get("/api/v1/metrics").path("providers").size()).isZero();
    // Logs stay.
    assertThat(http.get("/api/v1/logs").path("data").size()).isEqualTo(5);
  }

  @Test
  void costsMatchThePriceCatalog() {
    JsonNode c = AdminHttp.poll(() -> http.get("/api/v1/costs"), n -> Math.abs(n.path("total_usd").asDouble() - 4 * perCall) < EPS);
    assertThat(c.path("total_usd").asDouble()).isCloseTo(4 * perCall, within(EPS));
    assertThat(c.path("by_provider").path("openai").asDouble()).isCloseTo(4 * perCall, within(EPS));
    assertThat(c.path("by_model").path("gpt-4o").asDouble()).isCloseTo(4 * perCall, within(EPS));
    assertThat(c.path("by_key").path(virtualKeyId).asDouble()).isCloseTo(perCall, within(EPS));
    assertThat(c.path("by_key").path("master").asDouble()).isCloseTo(3 * perCall, within(EPS));
    assertThat(http.get("/providers/costs")).isEqualTo(c);

    JsonNode past = http.get("/api/v1/costs?from=2000-01-01&to=2000-02-01");
    assertThat(past.path("total_usd").asDouble()).isZero();
    assertThat(past.path("from").asText()).isEqualTo("2000-01-01T00:00:00Z");
    HttpResponse<String> bad = http.call("GET", "/api/v1/costs?from=yesterday", TestGateway.MASTER_KEY, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(AdminHttp.error(bad).path("param").asText()).isEqualTo("from");
  }

  @Test
  void logsFilterAndPage() {
    JsonNode all = AdminHttp.poll(() -> http.get("/api/v1/logs"), n -> n.path("data").size() == 5).path("data");
    assertThat(all).hasSize(5);
    List<Long> ids = new ArrayList<>();
    all.forEach(row -> ids.add(row.path("id").asLong()));
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    JsonNode newest = all.get(0);
    assertThat(newest.path("status").asInt()).isEqualTo(400);
    assertThat(newest.path("error").asText()).contains("Bad things");
    JsonNode ok = all.get(1);
    assertThat(ok.path("provider").asText()).isEqualTo("openai");
    assertThat(ok.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(ok.path("inbound_protocol").asText()).isNotBlank();
    assertThat(ok.path("request_id").asText()).isNotBlank();
    assertThat(ok.path("input_tokens").asInt()).isEqualTo(12);
    assertThat(ok.path("output_tokens").asInt()).isEqualTo(5);
    assertThat(ok.path("cost_usd").asDouble()).isCloseTo(perCall, within(EPS));
    assertThat(ok.path("attempts").asInt()).isEqualTo(1);
    assertThat(ok.path("ttft_ms").isNumber()).as("the streamed call has a ttft").isTrue();

    assertThat(http.get("/api/v1/logs?status=400").path("data")).hasSize(1);
    assertThat(http.get("/api/v1/logs?model=gpt-4o&status=200").path("data")).hasSize(4);
    assertThat(http.get("/api/v1/logs?provider=nope").path("data")).isEmpty();
    assertThat(http.get("/providers/logs/openai").path("data")).hasSize(5);
    assertThat(http.get("/providers/logs/nope").path("data")).isEmpty();
    assertThat(http.get("/providers/logs?status=200").path("data")).hasSize(4);

    List<Long> paged = new ArrayList<>();
    String path = "/api/v1/logs?limit=2";
    int pages = 0;
    while (path != null) {
      JsonNode page = http.get(path);
      page.path("data").forEach(row -> paged.add(row.path("id").asLong()));
      pages++;
      JsonNode next = page.path("next_before");
      path = next.isNull() ? null : "/api/v1/logs?limit=2&before=" + next.asLong();
    }
    assertThat(paged).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);

    HttpResponse<String> bad = http.call("GET", "/api/v1/logs?limit=0", TestGateway.MASTER_KEY, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(AdminHttp.error(bad).path("param").asText()).isEqualTo("limit");
  }

  @Test
  void prometheusScrapeHasTheRequestSeries() {
    Map<String, List<Sample>> scrape = AdminHttp.poll(AdminMetricsTest::scrape,
        s -> value(s, "junction_request_duration_seconds_count", Map.of("provider", "openai", "model", "gpt-4o")) == 5);
    Map<String, String> series = Map.of("provider", "openai", "model", "gpt-4o");
    assertThat(value(scrape, "junction_requests_total", with(series, "status", "200"))).isEqualTo(4);
    assertThat(value(scrape, "junction_requests_total", with(series, "status", "400"))).isEqualTo(1);
    assertThat(value(scrape, "junction_tokens_total", with(series, "direction", "input"))).isEqualTo(48);
    assertThat(value(scrape, "junction_tokens_total", with(series, "direction", "output"))).isEqualTo(20);
    assertThat(value(scrape, "junction_tokens_total", with(series, "direction", "cached"))).isEqualTo(8);
    assertThat(value(scrape, "junction_cost_usd_total", series)).isCloseTo(4 * perCall, within(EPS));
    assertThat(value(scrape, "junction_upstream_attempts_total", with(series, "outcome", "success"))).isEqualTo(4);
    assertThat(value(scrape, "junction_request_duration_seconds_count", series)).isEqualTo(5);
    assertThat(value(scrape, "junction_ttft_seconds_count", series)).isEqualTo(1);
    assertThat(scrape).containsKey("jvm_memory_used_bytes");
  }

  /** One sample line of the Prometheus text format. */
  record Sample(Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** Parses the scrape strictly: every line is a comment, blank, or a well-formed sample. */
  static Map<String, List<Sample>> scrape() {
    HttpResponse<String> r = http.call("GET", "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
    Map<String, List<Sample>> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as("sample line: " + line).isTrue();
      Map<String, String> labels = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        int end = 0;
        while (l.find() && l.start() == end) {
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        assertThat(end).as("labels of: " + line).isEqualTo(m.group(2).length());
      }
      out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Sample(labels, Double.parseDouble(m.group(3))));
    }
    return out;
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}; -1 when there is none. */
  static double value(Map<String, List<Sample>> scrape, String name, Map<String, String> labels) {
    List<Sample> hits = scrape.getOrDefault(name, List.of()).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    assertThat(hits.size()).as(name + labels).isLessThanOrEqualTo(1);
    return hits.isEmpty() ? -1 : hits.get(0).value();
  }

  static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
